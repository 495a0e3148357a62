package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code | json}: every string, number and boolean of the line's JSON object becomes a label, nested keys joined
 * with {@code _} ({@code {"a":{"b":1}}} gives {@code a_b="1"}); arrays and nulls are skipped, as in Loki. Invalid
 * JSON keeps the labels found before the error and sets {@code __error__=JSONParserErr} with jsonparser's message.
 */
final class JsonParser implements Stage {
  static final String JSON_ERR = "JSONParserErr";

  private final KeyCache topKeys = KeyCache.sanitizing();
  private final List<String> prefix = new ArrayList<>();
  private final Json.Value scratch = new Json.Value();
  private LabelsBuilder lbs;
  private final Json.Members members = this::member;

  @Override
  public boolean process(long ts, Line line, LabelsBuilder labels) {
    lbs = labels;
    prefix.clear();
    try {
      Json.objectEach(line.buf, line.off, line.off + line.len, members, scratch);
    } catch (Json.JsonError e) {
      labels.addError(JSON_ERR, e.getMessage());
    }
    return true;
  }

  private void member(byte[] b, int ks, int ke, boolean escaped, Json.Value v) throws Json.JsonError {
    switch (v.type) {
      case Json.STRING, Json.NUMBER, Json.BOOLEAN -> label(b, ks, ke, escaped, v);
      case Json.OBJECT -> {
        int depth = prefix.size();
        prefix.add(key(b, ks, ke, escaped));
        int start = v.start;
        int end = v.end;
        Json.objectEach(b, start, end, members, new Json.Value());
        while (prefix.size() > depth) {
          prefix.remove(prefix.size() - 1);
        }
      }
      default -> { }
    }
  }

  private static String key(byte[] b, int ks, int ke, boolean escaped) {
    if (!escaped) {
      return new String(b, ks, ke - ks, StandardCharsets.UTF_8);
    }
    return new String(Json.unescape(b, ks, ke), StandardCharsets.UTF_8);
  }

  private static String value(byte[] b, Json.Value v) {
    return switch (v.type) {
      case Json.STRING -> Json.string(b, v.start, v.end);
      case Json.NUMBER -> new String(b, v.start, v.end - v.start, StandardCharsets.UTF_8);
      case Json.BOOLEAN -> b[v.start] == 't' ? "true" : "false";
      default -> "";
    };
  }

  private void label(byte[] b, int ks, int ke, boolean escaped, Json.Value v) {
    if (prefix.isEmpty()) {
      String name = escaped ? nonEmpty(KeyCache.sanitize(key(b, ks, ke, true), true)) : topKeys.get(b, ks, ke);
      if (name == null) {
        return;
      }
      lbs.set(LabelsBuilder.Category.PARSED, lbs.extractedName(name), value(b, v));
      return;
    }
    String last = key(b, ks, ke, escaped);
    String name = joined(last);
    if (lbs.baseHas(name) || lbs.hasInCategory(name, LabelsBuilder.Category.STRUCTURED_METADATA)) {
      name = joined(last + LabelsBuilder.DUPLICATE_SUFFIX);
    }
    lbs.set(LabelsBuilder.Category.PARSED, name, value(b, v));
  }

  private static String nonEmpty(String s) {
    return s.isEmpty() ? null : s;
  }

  /** Loki's {@code buildSanitizedPrefixFromBuffer} over the prefix and the last key. */
  private String joined(String last) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i <= prefix.size(); i++) {
      String part = (i < prefix.size() ? prefix.get(i) : last).strip();
      if (part.isEmpty()) {
        continue;
      }
      if (i > 0 && !s.isEmpty()) {
        s.append('_');
      }
      if (s.isEmpty() && part.charAt(0) >= '0' && part.charAt(0) <= '9') {
        s.append('_');
      }
      part.codePoints().forEach(r -> s.append(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
          || r >= '0' && r <= '9' ? (char) r : '_'));
    }
    return s.toString();
  }
}

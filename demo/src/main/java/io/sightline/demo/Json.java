package io.sightline.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The little JSON the shop's bodies need: flat objects of strings, numbers and string lists. */
final class Json {
  private Json() {}

  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    string(sb, s);
    return sb.toString();
  }

  /** A number field, or null when absent or not a number. */
  static Double number(String json, String field) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")
        .matcher(json);
    return m.find() ? Double.parseDouble(m.group(1)) : null;
  }

  /** A string field, or null. */
  static String text(String json, String field) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  /** A list of strings field, or null when absent. */
  static List<String> strings(String json, String field) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\\[([^\\]]*)]").matcher(json);
    if (!m.find()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    Matcher item = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(m.group(1));
    while (item.find()) {
      out.add(item.group(1));
    }
    return out;
  }
}

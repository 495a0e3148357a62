package io.sightline.rules;

import io.sightline.core.model.GoFormat;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML tree that keeps each node's line and column: Prometheus' messages carry the position of the
 * offending value ({@code 16:11: group "g", rule 5, ...}) and of each unknown field, which Jackson's
 * own tree model drops.
 */
sealed interface YamlNode {
  int line();

  int column();

  /** {@code tag} is the YAML core schema's: {@code !!str}, {@code !!int}, {@code !!float}, {@code !!bool}, {@code !!null}. */
  record Scalar(String text, boolean isNull, String tag, int line, int column) implements YamlNode {}

  record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {}

  /** Keys keep their own positions: an unknown field is reported at its key's line. */
  record Mapping(Map<String, Entry> entries, int line, int column) implements YamlNode {}

  record Entry(String key, int keyLine, YamlNode value) {}

  /** How yaml.v3 names a node in "cannot unmarshal" messages: {@code !!int `5`}, {@code !!seq}. */
  static String describe(YamlNode node) {
    return switch (node) {
      case Scalar s -> s.tag() + " `" + s.text() + "`";
      case Sequence q -> "!!seq";
      case Mapping m -> "!!map";
    };
  }

  /** A line of yaml.v3's "unmarshal errors" list, kept with its line so that the list is in document order. */
  record Problem(int line, String message) {}

  /** Parses {@code yaml}; a key repeated in a mapping is added to {@code problems}, as yaml.v3 refuses it. */
  static YamlNode parse(String yaml, List<Problem> problems) throws IOException {
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new Scalar("", true, "!!null", 0, 0);
      }
      return read(p, problems);
    }
  }

  private static YamlNode read(JsonParser p, List<Problem> problems) throws IOException {
    JsonLocation at = p.currentTokenLocation();
    int line = at.getLineNr();
    int col = at.getColumnNr();
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          Entry before = entries.get(key);
          if (before != null) {
            problems.add(new Problem(keyLine,
                "mapping key " + GoFormat.quote(key) + " already defined at line " + before.keyLine()));
          }
          entries.put(key, new Entry(key, keyLine, read(p, problems)));
        }
        return new Mapping(entries, line, col);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p, problems));
        }
        return new Sequence(items, line, col);
      }
      case VALUE_NULL -> {
        return new Scalar("", true, "!!null", line, col);
      }
      default -> {
        String tag = switch (t) {
          case VALUE_NUMBER_INT -> "!!int";
          case VALUE_NUMBER_FLOAT -> "!!float";
          case VALUE_TRUE, VALUE_FALSE -> "!!bool";
          default -> "!!str";
        };
        return new Scalar(p.getText(), false, tag, line, col);
      }
    }
  }
}

package io.sightline.rules;

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

  record Scalar(String text, boolean isNull, int line, int column) implements YamlNode {}

  record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {}

  /** Keys keep their own positions: an unknown field is reported at its key's line. */
  record Mapping(Map<String, Entry> entries, int line, int column) implements YamlNode {}

  record Entry(String key, int keyLine, YamlNode value) {}

  static YamlNode parse(String yaml) throws IOException {
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return new Scalar("", true, 0, 0);
      }
      return read(p);
    }
  }

  private static YamlNode read(JsonParser p) throws IOException {
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
          entries.put(key, new Entry(key, keyLine, read(p)));
        }
        return new Mapping(entries, line, col);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p));
        }
        return new Sequence(items, line, col);
      }
      case VALUE_NULL -> {
        return new Scalar("", true, line, col);
      }
      default -> {
        return new Scalar(p.getText(), false, line, col);
      }
    }
  }
}

package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code | json a="b.c", d="e[0]"}: only the named paths, each into its label; an object or array value is kept as
 * its JSON text, null as empty, and a path not found gives an empty label, as in Loki.
 */
final class JsonExpressionParser implements Stage {
  private final String[] ids;
  private final List<Object>[] paths;
  private final Json.Value v = new Json.Value();

  @SuppressWarnings("unchecked")
  JsonExpressionParser(String[] ids, List<List<Object>> paths) {
    this.ids = ids;
    this.paths = paths.toArray(List[]::new);
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    if (line.len == 0) {
      return true;
    }
    byte first = line.buf[line.off];
    if (first != '"' && first != '{' && first != '[') {
      lbs.addError(JsonParser.JSON_ERR, null);
      return true;
    }
    int matches = 0;
    byte[] b = line.buf;
    int end = line.off + line.len;
    for (int p = 0; p < ids.length; p++) {
      try {
        if (!find(b, line.off, end, paths[p])) {
          continue;
        }
      } catch (Json.JsonError e) {
        lbs.addError(JsonParser.JSON_ERR, e.getMessage());
        continue;
      }
      String value = switch (v.type) {
        case Json.NULL -> "";
        case Json.OBJECT -> new String(b, v.start, v.end - v.start, StandardCharsets.UTF_8);
        default -> Json.string(b, v.start, v.end);
      };
      lbs.set(LabelsBuilder.Category.PARSED, lbs.extractedName(ids[p]), value);
      matches++;
    }
    if (matches < ids.length) {
      for (String id : ids) {
        if (lbs.get(id) == null) {
          lbs.set(LabelsBuilder.Category.PARSED, id, "");
        }
      }
    }
    return true;
  }

  private boolean find(byte[] b, int start, int end, List<Object> path) throws Json.JsonError {
    int from = start;
    int to = end;
    for (Object step : path) {
      boolean found = step instanceof Integer idx ? Json.element(b, from, to, idx, v)
          : Json.member(b, from, to, (byte[]) step, v);
      if (!found) {
        return false;
      }
      if (v.type == Json.STRING) {
        from = v.start - 1;
        to = v.end + 1;
      } else {
        from = v.start;
        to = v.end;
      }
    }
    return true;
  }
}

package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code | unpack}: Promtail's {@code pack} format, a JSON object whose {@code _entry} is the original line and whose
 * other string members are labels. The line becomes {@code _entry}; without one, line and labels stay as they are.
 */
final class UnpackParser implements Stage {
  private static final byte[] ENTRY = "_entry".getBytes(StandardCharsets.UTF_8);

  private final List<String> found = new ArrayList<>();
  private final Json.Value scratch = new Json.Value();
  private byte[] entry;
  private LabelsBuilder lbs;

  @Override
  public boolean process(long ts, Line line, LabelsBuilder labels) {
    if (line.len == 0) {
      return true;
    }
    if (line.buf[line.off] != '{') {
      labels.addError(JsonParser.JSON_ERR, "expecting json object(6), but it is not");
      return true;
    }
    found.clear();
    entry = null;
    lbs = labels;
    try {
      Json.objectEach(line.buf, line.off, line.off + line.len, this::member, scratch);
    } catch (Json.JsonError e) {
      labels.addError(JsonParser.JSON_ERR, e.getMessage());
      return true;
    }
    if (entry != null) {
      for (int i = 0; i < found.size(); i += 2) {
        labels.set(LabelsBuilder.Category.PARSED, found.get(i), found.get(i + 1));
      }
      line.set(entry);
    }
    return true;
  }

  private void member(byte[] b, int ks, int ke, boolean escaped, Json.Value v) throws Json.JsonError {
    if (v.type != Json.STRING) {
      return;
    }
    String key = escaped ? new String(Json.unescape(b, ks, ke), StandardCharsets.UTF_8)
        : new String(b, ks, ke - ks, StandardCharsets.UTF_8);
    if (!escaped && java.util.Arrays.equals(b, ks, ke, ENTRY, 0, ENTRY.length)) {
      byte[] u = Json.hasEscape(b, v.start, v.end) ? Json.unescape(b, v.start, v.end)
          : java.util.Arrays.copyOfRange(b, v.start, v.end);
      if (u == null) {
        throw new Json.JsonError(Json.MALFORMED_ESCAPE);
      }
      entry = u;
      return;
    }
    found.add(KeyCache.sanitize(lbs.extractedName(key), true));
    found.add(Json.string(b, v.start, v.end));
  }
}

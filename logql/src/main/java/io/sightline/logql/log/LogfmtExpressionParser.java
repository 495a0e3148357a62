package io.sightline.logql.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code | logfmt a="key", b}: only the named keys, each into its label ({@code ""} when absent), as Loki's
 * {@code LogfmtExpressionParser} does, including its quirk that a key equal to a label name is taken too.
 */
final class LogfmtExpressionParser implements Stage {
  /** label name → logfmt key. */
  private final Map<String, String> keys;
  private final boolean strict;
  private final LogfmtDecoder dec = new LogfmtDecoder();
  private final KeyCache sanitized = KeyCache.sanitizing();

  LogfmtExpressionParser(Map<String, String> keys, boolean strict) {
    this.keys = new LinkedHashMap<>(keys);
    this.strict = strict;
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    for (String id : keys.keySet()) {
      if (!lbs.baseHas(id) && !lbs.hasInCategory(id, LabelsBuilder.Category.STRUCTURED_METADATA)) {
        lbs.set(LabelsBuilder.Category.PARSED, id, "");
      }
    }
    dec.scanAll(line, strict, sanitized, found -> {
      String key = found;
      String val = dec.unquoted == null && dec.valueStart >= 0 && invalid(dec) ? "" : dec.value();
      for (Map.Entry<String, String> e : keys.entrySet()) {
        if (key.equals(e.getValue())) {
          key = e.getKey();
          break;
        }
      }
      if (keys.containsKey(key)) {
        lbs.set(LabelsBuilder.Category.PARSED, lbs.extractedName(key), val);
      }
    });
    if (strict && dec.err != null) {
      lbs.addError(LogfmtParser.LOGFMT_ERR, dec.err);
    }
    return true;
  }

  /** Loki drops a value with invalid UTF-8 here rather than patching it. */
  private static boolean invalid(LogfmtDecoder d) {
    return !io.sightline.logql.syntax.Utf8.valid(d.line(), d.valueStart, d.valueEnd);
  }
}

package io.sightline.collector.translate.prometheus;

import java.util.Map;

/**
 * OTLP units (UCUM) as Prometheus words: {@code By/s} is {@code bytes} per {@code second}. Used for the name suffixes
 * and for the unit in metadata. Units not in the table are used as written; annotations ({@code {request}}) are
 * dropped, as they describe what is counted rather than a unit.
 */
public final class UnitNamer {
  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
      Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
      Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
      Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
      Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      // A dimensionless unit adds no word; gauges get _ratio for it instead (see MetricNamer).
      Map.entry("1", ""), Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour", "d", "day",
      "w", "week", "mo", "month", "y", "year");

  private UnitNamer() {}

  /** The two words a unit adds to a name, before cleaning: {@code By/s} → {@code bytes}, {@code per_second}. */
  record Suffixes(String main, String per) {}

  static Suffixes suffixes(String unit) {
    int slash = unit.indexOf('/');
    String mainUnit = (slash < 0 ? unit : unit.substring(0, slash)).strip();
    String main = "";
    if (!mainUnit.isEmpty() && !hasBraces(mainUnit)) {
      main = UNITS.getOrDefault(mainUnit, mainUnit);
    }
    String per = "";
    if (slash >= 0 && slash + 1 < unit.length()) {
      String perUnit = unit.substring(slash + 1).strip();
      if (!perUnit.isEmpty() && !hasBraces(perUnit)) {
        per = "per_" + PER_UNITS.getOrDefault(perUnit, perUnit);
      }
    }
    return new Suffixes(main, per);
  }

  /**
   * The unit as Prometheus keeps it in metadata: {@code s} → {@code seconds}, {@code By/s} →
   * {@code bytes_per_second}, {@code 1} and {@code {request}} → empty.
   */
  public static String prometheusUnit(String unit) {
    Suffixes s = suffixes(unit);
    String main = cleanUp(s.main());
    String per = cleanUp(s.per());
    String u = !main.isEmpty() && !per.isEmpty() ? main + "_" + per : !main.isEmpty() ? main : per;
    if (u.startsWith("_")) {
      u = u.substring(1);
    }
    if (u.endsWith("_")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /** Invalid characters to {@code _}, runs of {@code _} to one, and no leading {@code _}. */
  static String cleanUp(String unit) {
    StringBuilder sb = new StringBuilder(unit.length());
    boolean lastUnderscore = false;
    for (int i = 0; i < unit.length(); ) {
      int cp = unit.codePointAt(i);
      i += Character.charCount(cp);
      boolean underscore = !MetricNamer.isValidMetricChar(cp);
      if (underscore || cp == '_') {
        if (!lastUnderscore) {
          sb.append('_');
        }
        lastUnderscore = true;
      } else {
        sb.appendCodePoint(cp);
        lastUnderscore = false;
      }
    }
    return sb.length() > 0 && sb.charAt(0) == '_' ? sb.substring(1) : sb.toString();
  }

  private static boolean hasBraces(String s) {
    return s.indexOf('{') >= 0 || s.indexOf('}') >= 0;
  }
}

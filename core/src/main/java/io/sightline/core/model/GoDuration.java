package io.sightline.core.model;

/**
 * Go's {@code time.ParseDuration}, which Jaeger and Tempo use for their duration parameters ({@code minDuration=1.5s},
 * {@code 100ms}, {@code 1h30m}, {@code 250us}, {@code 250µs}): a signed sequence of decimal numbers, each with a unit
 * ({@code ns us µs μs ms s m h}), and Go's error messages.
 */
public final class GoDuration {
  private GoDuration() {}

  /** Nanoseconds; throws {@link IllegalArgumentException} with Go's message. */
  public static long parseNanos(String s) {
    String orig = s;
    int i = 0;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return 0;
    }
    if (i == s.length()) {
      throw invalid(orig);
    }
    double total = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      boolean whole = i > start;
      int fractionStart = i;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
      }
      boolean fraction = i > fractionStart + 1;
      if (!whole && !fraction) {
        throw invalid(orig);
      }
      double value = Double.parseDouble(s.substring(start, i).equals(".") ? "0" : s.substring(start, i));
      int unitStart = i;
      while (i < s.length() && s.charAt(i) != '.' && !Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (unitStart == i) {
        throw new IllegalArgumentException("time: missing unit in duration " + GoFormat.quote(orig));
      }
      String unit = s.substring(unitStart, i);
      long scale = switch (unit) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> throw new IllegalArgumentException("time: unknown unit " + GoFormat.quote(unit) + " in duration "
            + GoFormat.quote(orig));
      };
      total += value * scale;
      if (total > Long.MAX_VALUE) {
        throw invalid(orig);
      }
    }
    long nanos = Math.round(total);
    return negative ? -nanos : nanos;
  }

  private static IllegalArgumentException invalid(String s) {
    return new IllegalArgumentException("time: invalid duration " + GoFormat.quote(s));
  }
}

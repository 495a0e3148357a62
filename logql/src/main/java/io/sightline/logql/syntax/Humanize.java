package io.sightline.logql.syntax;

import java.util.Locale;
import java.util.Map;

/** go-humanize's {@code ParseBytes}, which Loki uses for byte sizes in queries and in label values. */
public final class Humanize {
  private static final Map<String, Long> SIZES = Map.ofEntries(
      Map.entry("b", 1L), Map.entry("kib", 1L << 10), Map.entry("kb", 1000L), Map.entry("mib", 1L << 20),
      Map.entry("mb", 1000_000L), Map.entry("gib", 1L << 30), Map.entry("gb", 1000_000_000L),
      Map.entry("tib", 1L << 40), Map.entry("tb", 1000_000_000_000L), Map.entry("pib", 1L << 50),
      Map.entry("pb", 1000_000_000_000_000L), Map.entry("eib", 1L << 60), Map.entry("eb", 1000_000_000_000_000_000L),
      Map.entry("", 1L), Map.entry("ki", 1L << 10), Map.entry("k", 1000L), Map.entry("mi", 1L << 20),
      Map.entry("m", 1000_000L), Map.entry("gi", 1L << 30), Map.entry("g", 1000_000_000L), Map.entry("ti", 1L << 40),
      Map.entry("t", 1000_000_000_000L), Map.entry("pi", 1L << 50), Map.entry("p", 1000_000_000_000_000L),
      Map.entry("ei", 1L << 60), Map.entry("e", 1000_000_000_000_000_000L));

  private Humanize() {}

  /**
   * Bytes as an unsigned 64-bit value: {@code 42}, {@code 1.5KB}, {@code 20 MiB}, {@code 1,000 b}.
   *
   * @throws IllegalArgumentException with go-humanize's message
   */
  public static long parseBytes(String s) {
    int lastDigit = 0;
    boolean comma = false;
    while (lastDigit < s.length()) {
      char c = s.charAt(lastDigit);
      if (!(Character.isDigit(c) || c == '.' || c == ',')) {
        break;
      }
      comma |= c == ',';
      lastDigit++;
    }
    String num = s.substring(0, lastDigit);
    if (comma) {
      num = num.replace(",", "");
    }
    double f = GoStrconv.parseFloat(num);
    String extra = s.substring(lastDigit).strip().toLowerCase(Locale.ROOT);
    Long m = SIZES.get(extra);
    if (m == null) {
      throw new IllegalArgumentException("unhandled size name: " + extra);
    }
    f *= m;
    if (f >= 0x1p64) {
      throw new IllegalArgumentException("too large: " + s);
    }
    return f >= 0x1p63 ? (long) (f - 0x1p63) ^ Long.MIN_VALUE : (long) f;
  }
}

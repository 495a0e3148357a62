package io.sightline.traceql.syntax;

import java.util.regex.Pattern;

/**
 * Durations as Tempo reads them: Prometheus' notation first ({@code 1d}, {@code 2w}, {@code 1h30m}), then Go's
 * {@code time.ParseDuration} ({@code 1.5s}, {@code 300us}, {@code 2µs}); and Go's {@code Duration.String} to print.
 */
final class Durations {
  private static final Pattern PROMETHEUS = Pattern.compile(
      "^(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");
  private static final long[] PROMETHEUS_UNITS = {365L * 86_400_000_000_000L, 7L * 86_400_000_000_000L,
      86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L};
  private static final Pattern GO_PART = Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|μs|ms|s|m|h)");

  private Durations() {}

  /** Nanoseconds, or null when neither notation reads it. */
  static Long parse(String s) {
    var m = PROMETHEUS.matcher(s);
    if (!s.isEmpty() && m.matches()) {
      long total = 0;
      try {
        for (int i = 0; i < PROMETHEUS_UNITS.length; i++) {
          if (m.group(i + 1) != null) {
            total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(i + 1)), PROMETHEUS_UNITS[i]));
          }
        }
        return total;
      } catch (ArithmeticException | NumberFormatException e) {
        return null;
      }
    }
    var parts = GO_PART.matcher(s);
    int at = 0;
    double total = 0;
    while (at < s.length() && parts.find(at) && parts.start() == at) {
      String number = parts.group(1);
      if (number.isEmpty() || number.equals(".")) {
        return null;
      }
      total += Double.parseDouble(number) * switch (parts.group(2)) {
        case "ns" -> 1d;
        case "us", "µs", "μs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      at = parts.end();
    }
    if (at != s.length() || s.isEmpty() || total > Long.MAX_VALUE) {
      return null;
    }
    return Math.round(total);
  }

  /** Go's {@code time.Duration.String}: {@code 1h2m3.5s}, {@code 1.5ms}, {@code 0s}. */
  static String format(long d) {
    if (d == 0) {
      return "0s";
    }
    boolean neg = d < 0;
    long u = Math.abs(d);
    StringBuilder b = new StringBuilder();
    if (u < 1_000_000_000L) {
      if (u < 1_000L) {
        b.append(u).append("ns");
      } else if (u < 1_000_000L) {
        b.append(fraction(u, 1_000L)).append("µs");
      } else {
        b.append(fraction(u, 1_000_000L)).append("ms");
      }
    } else {
      long hours = u / 3_600_000_000_000L;
      long rest = u % 3_600_000_000_000L;
      long minutes = rest / 60_000_000_000L;
      long nanos = rest % 60_000_000_000L;
      if (hours > 0) {
        b.append(hours).append('h');
      }
      if (hours > 0 || minutes > 0) {
        b.append(minutes).append('m');
      }
      b.append(fraction(nanos, 1_000_000_000L)).append('s');
    }
    return neg ? "-" + b : b.toString();
  }

  private static String fraction(long v, long unit) {
    long whole = v / unit;
    long frac = v % unit;
    if (frac == 0) {
      return Long.toString(whole);
    }
    String digits = Long.toString(unit + frac).substring(1);
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + digits.substring(0, end);
  }
}

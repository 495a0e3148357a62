package io.sightline.collector.receiver.prometheus.textparse;

import java.nio.charset.StandardCharsets;

/**
 * Floats as Prometheus reads and writes them in the exposition formats: Go's {@code strconv.ParseFloat} without the
 * post-Go-1.13 forms (Prometheus refuses {@code p}, {@code P} and {@code _}, so no hex floats and no digit
 * separators), and {@code FormatOpenMetricsFloat} for the {@code le} and {@code quantile} label values.
 */
final class GoFloat {
  /**
   * Prometheus' canonical NaN ({@code value.NormalNaN}): every NaN a scrape reads becomes this one, so that no scraped
   * value can carry the stale marker's bits.
   */
  static final double NORMAL_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

  /** Clinger's fast path: a mantissa below 2^53 times or divided by an exact power of ten rounds correctly. */
  private static final double[] EXACT_POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
      1e20, 1e21, 1e22};
  /** 15 decimal digits always fit below 2^53, so the mantissa is exact. */
  private static final int FAST_PATH_MAX_DIGITS = 15;

  private GoFloat() {}

  /** A token that is no float; the message is Go's (or Prometheus' for the refused characters). */
  static final class InvalidFloat extends Exception {
    InvalidFloat(String message) {
      super(message, null, false, false);
    }
  }

  /** Parses {@code b[from, to)}; NaN comes back as {@link #NORMAL_NAN}. */
  static double parse(byte[] b, int from, int to) throws InvalidFloat {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == 'p' || c == 'P' || c == '_') {
        throw new InvalidFloat("unsupported character in float");
      }
    }
    int i = from;
    boolean negative = false;
    if (i < to && (b[i] == '+' || b[i] == '-')) {
      negative = b[i] == '-';
      i++;
    }
    if (i < to && (b[i] | 0x20) == 'i') {
      int len = to - i;
      if ((len == 3 || len == 8) && equalsIgnoreCase(b, i, to, "infinity")) {
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      throw syntax(b, from, to);
    }
    if (i == from && to - i == 3 && equalsIgnoreCase(b, i, to, "nan")) {
      return NORMAL_NAN; // Go takes no sign on NaN
    }
    long mantissa = 0;
    int digits = 0; // significant digits in the mantissa, leading zeros not counted
    int dropped = 0; // significant digits beyond what the long holds, before the point
    int fractionDigits = 0;
    boolean sawDigit = false;
    boolean sawPoint = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        sawDigit = true;
        if (digits < 18) {
          if (c != '0' || digits > 0) {
            digits++;
          }
          mantissa = mantissa * 10 + (c - '0');
          if (sawPoint) {
            fractionDigits++;
          }
        } else {
          digits++;
          if (!sawPoint) {
            dropped++;
          }
        }
      } else if (c == '.' && !sawPoint) {
        sawPoint = true;
      } else {
        break;
      }
    }
    if (!sawDigit) {
      throw syntax(b, from, to);
    }
    long exponent = 0;
    if (i < to && (b[i] | 0x20) == 'e') {
      i++;
      boolean negativeExponent = false;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        negativeExponent = b[i] == '-';
        i++;
      }
      if (i == to) {
        throw syntax(b, from, to);
      }
      for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
        if (exponent < 100_000) { // past this the result is 0 or infinite anyway
          exponent = exponent * 10 + (b[i] - '0');
        }
      }
      if (negativeExponent) {
        exponent = -exponent;
      }
    }
    if (i != to) {
      throw syntax(b, from, to);
    }
    if (mantissa == 0) {
      return negative ? -0.0 : 0.0;
    }
    long scale = exponent - fractionDigits + dropped;
    if (digits <= FAST_PATH_MAX_DIGITS && Math.abs(scale) < EXACT_POWERS_OF_TEN.length) {
      double v = scale >= 0 ? mantissa * EXACT_POWERS_OF_TEN[(int) scale]
          : mantissa / EXACT_POWERS_OF_TEN[(int) -scale];
      return negative ? -v : v;
    }
    // The grammar is checked, and Java's decimal grammar is a superset of it: its correctly rounded result is Go's.
    double v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    if (Double.isInfinite(v)) {
      throw new InvalidFloat("strconv.ParseFloat: parsing " + GoQuote.quote(b, from, to) + ": value out of range");
    }
    return v;
  }

  private static InvalidFloat syntax(byte[] b, int from, int to) {
    return new InvalidFloat("strconv.ParseFloat: parsing " + GoQuote.quote(b, from, to) + ": invalid syntax");
  }

  private static boolean equalsIgnoreCase(byte[] b, int from, int to, String lowerCasePrefixOf) {
    for (int i = from; i < to; i++) {
      if ((b[i] | 0x20) != lowerCasePrefixOf.charAt(i - from)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prometheus' {@code FormatOpenMetricsFloat}: Go's shortest {@code %g}, with {@code .0} added when the result has
   * neither a point nor an exponent ({@code 1 → "1.0"}, {@code 1e6 → "1e+06"}, {@code 0.25 → "0.25"}).
   */
  static String formatOpenMetrics(double f) {
    if (f == 1) {
      return "1.0";
    } else if (f == 0) {
      return "0.0";
    } else if (f == -1) {
      return "-1.0";
    } else if (Double.isNaN(f)) {
      return "NaN";
    } else if (f == Double.POSITIVE_INFINITY) {
      return "+Inf";
    } else if (f == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    ShortestDecimal d = ShortestDecimal.of(Math.abs(f));
    StringBuilder sb = new StringBuilder(24);
    if (f < 0) {
      sb.append('-');
    }
    int exp = d.pointPosition - 1;
    if (exp < -4 || exp >= 6) { // Go's %g with the shortest precision switches to %e at these exponents
      sb.append(d.digits.charAt(0));
      if (d.digits.length() > 1) {
        sb.append('.').append(d.digits, 1, d.digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int abs = Math.abs(exp);
      if (abs < 10) {
        sb.append('0');
      }
      return sb.append(abs).toString();
    }
    if (d.pointPosition <= 0) {
      sb.append("0.");
      sb.repeat('0', -d.pointPosition);
      return sb.append(d.digits).toString();
    }
    if (d.digits.length() <= d.pointPosition) {
      sb.append(d.digits);
      sb.repeat('0', d.pointPosition - d.digits.length());
      return sb.append(".0").toString();
    }
    return sb.append(d.digits, 0, d.pointPosition).append('.').append(d.digits, d.pointPosition, d.digits.length())
        .toString();
  }

  /**
   * The shortest digits that read back as the value (Java's {@code Double.toString} gives these since JDK 19, as Go's
   * formatter does), and where the point goes: {@code 0.025 → ("25", -1)}, {@code 1500 → ("15", 4)}.
   */
  private record ShortestDecimal(String digits, int pointPosition) {
    static ShortestDecimal of(double positive) {
      String s = Double.toString(positive);
      int e = s.indexOf('E');
      String mantissa = e < 0 ? s : s.substring(0, e);
      int exponent = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
      int point = mantissa.indexOf('.');
      String digits = mantissa.substring(0, point) + mantissa.substring(point + 1);
      int position = point + exponent;
      int lead = 0;
      while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
        lead++;
      }
      int end = digits.length();
      while (end > lead + 1 && digits.charAt(end - 1) == '0') {
        end--;
      }
      digits = digits.substring(lead, end);
      position -= lead;
      if (digits.length() == 2) {
        // Java writes two digits where one would read back when the value has too few bits for the second to be
        // exact (4.9E-324); Go writes the one (5e-324).
        long one = Math.round((digits.charAt(0) - '0') + (digits.charAt(1) - '0') / 10.0);
        String oneDigit = one == 10 ? "1" : Long.toString(one);
        int onePosition = one == 10 ? position + 1 : position;
        if (Double.parseDouble(oneDigit + "E" + (onePosition - 1)) == positive) {
          return new ShortestDecimal(oneDigit, onePosition);
        }
      }
      return new ShortestDecimal(digits, position);
    }
  }
}

package io.sightline.core.model;

import java.math.BigDecimal;

/**
 * Numbers as Go prints them, where Sightline's output must match Prometheus' byte for byte (sample values in the
 * HTTP API, {@code le} and {@code quantile} labels made from OTLP bounds).
 */
public final class GoFormat {
  private GoFormat() {}

  /**
   * {@code strconv.FormatFloat(f, 'f', -1, 64)}: the shortest digits that read back as the same double (which
   * {@link Double#toString} gives since JDK 19), never an exponent: {@code 0.005}, {@code 1}, {@code +Inf}, {@code -0}.
   */
  public static String plain(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return Double.doubleToRawLongBits(f) < 0 ? "-0" : "0";
    }
    double abs = Math.abs(f);
    if (abs < 0x1p53 && f == Math.rint(f)) {
      // Below 2^53 every integer is a double, so no shorter decimal rounds back to this one: its digits are Go's.
      return Long.toString((long) f);
    }
    if (abs >= 1e-3 && abs < 1e7) {
      // Double.toString writes this range without an exponent, with the same shortest digits: only a ".0" to drop.
      String s = Double.toString(f);
      return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
    return new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
  }

  /**
   * How Prometheus writes floats in JSON ({@code jsonutil.MarshalFloat}): {@link #plain} unless the magnitude is below
   * 1e−6 or at least 1e21, then {@code strconv.FormatFloat(f, 'e', -1, 64)}: {@code 1e-07}, {@code 1.5e+21}.
   */
  public static String json(double f) {
    double abs = Math.abs(f);
    if (abs == 0 || abs >= 1e-6 && abs < 1e21 || Double.isNaN(f) || Double.isInfinite(f)) {
      return plain(f);
    }
    return exponent(f, true);
  }

  /**
   * How Go's {@code encoding/json} writes a finite float64 (Jaeger's and Tempo's JSON): plain from 1e−6 up to 1e21,
   * else with an exponent whose negative form is not padded ({@code 1e-7}, where {@link #json} writes {@code 1e-07}).
   */
  public static String encodingJson(double f) {
    double abs = Math.abs(f);
    if (abs == 0 || abs >= 1e-6 && abs < 1e21 || Double.isNaN(f) || Double.isInfinite(f)) {
      return plain(f);
    }
    return exponent(f, false);
  }

  /**
   * The shortest digits of a finite, non-zero {@code f} with an exponent, as Go writes them: {@code d.ddde±XX}. Go's
   * {@code strconv} writes at least two exponent digits ({@code 1e-07}); its {@code encoding/json} writes a negative
   * exponent without the padding ({@code 1e-7}), hence {@code padNegative}.
   */
  public static String exponent(double f, boolean padNegative) {
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exponent = digits.length() - 1 - d.scale();
    StringBuilder b = new StringBuilder(24);
    if (f < 0) {
      b.append('-');
    }
    b.append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    if (e < 10 && (exponent > 0 || padNegative)) {
      b.append('0');
    }
    return b.append(e).toString();
  }

  /**
   * Go's {@code strconv.Quote} of a string, as Go services put values into their error messages: quotes around it,
   * backslash escapes for quotes, backslashes and control characters.
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case 0x07 -> b.append("\\a");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case 0x0b -> b.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Go's {@code strconv.ParseFloat} for the decimal forms Prometheus meets (bucket bounds, template arguments):
   * digits with an optional fraction and exponent, Inf/NaN in any case; no surrounding spaces, no Java suffixes.
   */
  public static double parseFloat(String s) {
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> { }
    }
    if (!lower.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
      throw new NumberFormatException(s);
    }
    return Double.parseDouble(s);
  }
}

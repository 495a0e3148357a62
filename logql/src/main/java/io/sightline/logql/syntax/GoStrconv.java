package io.sightline.logql.syntax;

import java.util.regex.Pattern;

/** Go's {@code strconv.ParseFloat} and {@code Atoi}: what they accept and their error messages. */
public final class GoStrconv {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern HEX = Pattern.compile("[+-]?0[xX]([0-9a-fA-F_]+\\.?[0-9a-fA-F_]*|\\.[0-9a-fA-F_]+)"
      + "[pP][+-]?\\d+");
  private static final Pattern SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");

  private GoStrconv() {}

  /** @throws NumberFormatException with Go's message, e.g. {@code strconv.ParseFloat: parsing "x": invalid syntax} */
  public static double parseFloat(String s) {
    double plain = plainDecimal(s);
    if (plain == plain) {
      return plain;
    }
    if (SPECIAL.matcher(s).matches()) {
      String l = s.toLowerCase();
      if (l.endsWith("nan")) {
        if (l.startsWith("+") || l.startsWith("-")) {
          throw syntax("ParseFloat", s);
        }
        return Double.NaN;
      }
      return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (DECIMAL.matcher(s).matches()) {
      double d = Double.parseDouble(s);
      if (Double.isInfinite(d)) {
        throw new NumberFormatException("strconv.ParseFloat: parsing " + Printer.quote(s) + ": value out of range");
      }
      return d;
    }
    if (HEX.matcher(s).matches() && !s.contains("__")) {
      String clean = s.replace("_", "");
      return Double.parseDouble(clean.endsWith("p") ? clean + "0" : clean);
    }
    throw syntax("ParseFloat", s);
  }

  private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
      1e13, 1e14, 1e15};

  /**
   * The common case without a regular expression: an optional sign, at most 15 digits and at most one point (a status
   * code, a duration in ms). The digits are an exact long and the power of ten an exact double, so their quotient is
   * the correctly rounded value {@link Double#parseDouble} gives. NaN when {@code s} is not of that shape.
   */
  private static double plainDecimal(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    long digits = 0;
    int count = 0;
    int point = -1;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++count > 15) {
          return Double.NaN;
        }
        digits = digits * 10 + (c - '0');
      } else if (c == '.' && point < 0) {
        point = count;
      } else {
        return Double.NaN;
      }
    }
    if (count == 0) {
      return Double.NaN;
    }
    double v = point < 0 ? digits : digits / POWERS_OF_TEN[count - point];
    return negative ? -v : v;
  }

  /**
   * Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}, which {@code fmt.Sprint} and {@code %v} use: the shortest
   * digits, with an exponent below 1e-4 and from 1e6 on ({@code 1.5}, {@code 1e+06}, {@code 1e-05}).
   */
  public static String formatG(double f) {
    if (f == 0 || Double.isNaN(f) || Double.isInfinite(f)) {
      return io.sightline.core.model.GoFormat.plain(f);
    }
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    return exp < -4 || exp >= 6 ? io.sightline.core.model.GoFormat.exponent(f, true)
        : io.sightline.core.model.GoFormat.plain(f);
  }

  /**
   * Go's quoted strings as Prometheus' {@code strutil.Unquote} reads them (double, single or back quotes, Go's
   * escapes); null if invalid. A {@code \x} escape above 0x7F, a raw byte in Go, becomes U+FFFD.
   */
  public static String unquote(String s) {
    int n = s.length();
    if (n < 2) {
      return null;
    }
    char quote = s.charAt(0);
    if (quote != s.charAt(n - 1)) {
      return null;
    }
    String body = s.substring(1, n - 1);
    if (quote == '`') {
      return body.indexOf('`') >= 0 ? null : body;
    }
    if (quote != '"' && quote != '\'') {
      return null;
    }
    if (body.indexOf('\n') >= 0) {
      return null;
    }
    if (body.indexOf('\\') < 0 && body.indexOf(quote) < 0) {
      return body;
    }
    StringBuilder b = new StringBuilder(body.length());
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == quote) {
        return null;
      }
      if (c != '\\') {
        b.append(c);
        i++;
        continue;
      }
      if (i + 1 >= body.length()) {
        return null;
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'v' -> b.append('\u000b');
        case '\\' -> b.append('\\');
        case '\'', '"' -> {
          if (e != quote) {
            return null;
          }
          b.append(e);
        }
        case 'x', 'u', 'U' -> {
          int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + len > body.length()) {
            return null;
          }
          int v = 0;
          for (int j = 0; j < len; j++) {
            int d = Character.digit(body.charAt(i + j), 16);
            if (d < 0) {
              return null;
            }
            v = v << 4 | d;
          }
          i += len;
          if (e == 'x') {
            // A byte: Go keeps a raw byte above 0x7F, which a Java string can only hold as U+FFFD.
            b.append(v < 0x80 ? (char) v : '\uFFFD');
          } else {
            if (v > 0x10FFFF) {
              return null;
            }
            b.appendCodePoint(Character.isValidCodePoint(v) && (v < 0xD800 || v > 0xDFFF) ? v : 0xFFFD);
          }
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 > body.length()) {
            return null;
          }
          int v = e - '0';
          for (int j = 0; j < 2; j++) {
            int x = body.charAt(i + j) - '0';
            if (x < 0 || x > 7) {
              return null;
            }
            v = v << 3 | x;
          }
          i += 2;
          if (v > 255) {
            return null;
          }
          b.append(v < 0x80 ? String.valueOf((char) v) : "\uFFFD");
        }
        default -> {
          return null;
        }
      }
    }
    return b.toString();
  }

  /** Go's {@code strconv.Atoi}. */
  public static int atoi(String s) {
    if (!s.matches("[+-]?\\d+")) {
      throw syntax("Atoi", s);
    }
    try {
      return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("strconv.Atoi: parsing " + Printer.quote(s) + ": value out of range");
    }
  }

  private static NumberFormatException syntax(String fn, String s) {
    return new NumberFormatException("strconv." + fn + ": parsing " + Printer.quote(s) + ": invalid syntax");
  }
}

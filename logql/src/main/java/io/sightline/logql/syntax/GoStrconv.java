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

  /**
   * Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}, which {@code fmt.Sprint} and {@code %v} use: the shortest
   * digits, with an exponent below 1e-4 and from 1e6 on ({@code 1.5}, {@code 1e+06}, {@code 1e-05}).
   */
  public static String formatG(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return Double.doubleToRawLongBits(f) < 0 ? "-0" : "0";
    }
    java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    return exp < -4 || exp >= 6 ? io.sightline.core.model.GoFormat.exponent(f, true)
        : io.sightline.core.model.GoFormat.plain(f);
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

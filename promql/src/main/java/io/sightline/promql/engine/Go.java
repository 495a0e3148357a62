package io.sightline.promql.engine;

import io.sightline.core.model.GoFormat;

/** Go's formatting and parsing where Prometheus' messages and labels depend on them. */
final class Go {
  private Go() {}

  /** {@code %q} of a string. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** {@code %g} of a float64: the shortest representation, exponent form for large and small magnitudes. */
  static String g(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    int exp = (int) Math.floor(Math.log10(Math.abs(v)));
    String e = GoFormat.exponent(v, true);
    exp = Integer.parseInt(e.substring(e.indexOf('e') + 1).replace("+", ""));
    return exp < -4 || exp >= 6 ? e : GoFormat.plain(v);
  }
}

package io.sightline.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code fmt} as far as templates need it: {@code %v} printing of values, {@code %.4g} (every
 * humanize function), and {@code printf}. Rounding is half-even on the exact binary value, as Go's
 * {@code strconv} does, so {@code %.2f} of 0.125 is {@code 0.12}, not Java's {@code 0.13}.
 */
final class GoFormat {
  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private GoFormat() {}

  /** {@code fmt.Sprint} of one value. */
  static String print(Object v) {
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Double d) {
      return formatG(d, -1);
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        if (!first) {
          b.append(' ');
        }
        first = false;
        b.append(print(e.getKey())).append(':').append(print(e.getValue()));
      }
      return b.append(']').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        b.append(i > 0 ? " " : "").append(print(l.get(i)));
      }
      return b.append(']').toString();
    }
    if (v instanceof Instant t) {
      return time(t);
    }
    if (v instanceof Sample s) {
      return "{" + print(s.labels()) + " " + print(s.value()) + "}";
    }
    return v.toString();
  }

  /** Go's {@code time.Time.String()} for a UTC time: {@code 2020-01-01 00:00:00.5 +0000 UTC}. */
  static String time(Instant t) {
    String base = GO_TIME.format(t.atOffset(ZoneOffset.UTC));
    int nanos = t.getNano();
    if (nanos != 0) {
      String frac = String.format("%09d", nanos).replaceAll("0+$", "");
      base += "." + frac;
    }
    return base + " +0000 UTC";
  }

  /** {@code %g} with precision {@code prec}, or the shortest representation when {@code prec < 0}. */
  static String formatG(double v, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal d;
    if (prec < 0) {
      d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    } else {
      int p = prec == 0 ? 1 : prec;
      d = new BigDecimal(Math.abs(v)).round(new MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
    String digits = d.unscaledValue().toString();
    int nd = digits.length();
    int exp = nd - d.scale() - 1; // decimal exponent of the first digit
    int eprec;
    if (prec < 0) {
      eprec = 6;
    } else {
      eprec = prec == 0 ? 1 : prec;
      if (eprec > nd && nd >= exp + 1) {
        eprec = nd;
      }
    }
    String sign = v < 0 ? "-" : "";
    if (exp < -4 || exp >= eprec) {
      String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
      String e = String.valueOf(Math.abs(exp));
      return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
    return sign + d.toPlainString();
  }

  /** {@code %.{prec}f}. */
  static String formatF(double v, int prec) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return formatG(v, -1);
    }
    return new BigDecimal(v).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** {@code %.{prec}e}. */
  static String formatE(double v, int prec) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return formatG(v, -1);
    }
    if (v == 0) {
      return "0" + (prec > 0 ? "." + "0".repeat(prec) : "") + "e+00";
    }
    BigDecimal d = new BigDecimal(Math.abs(v)).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - d.scale() - 1;
    digits = (digits + "0".repeat(prec + 1)).substring(0, prec + 1);
    String mant = prec > 0 ? digits.charAt(0) + "." + digits.substring(1) : digits;
    String e = String.valueOf(Math.abs(exp));
    return (v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
  }

  /** Go's {@code fmt.Sprintf} for the verbs templates use: v s d f e g q t x %. */
  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      int j = i + 1;
      String flags = "";
      while (j < format.length() && "-+# 0".indexOf(format.charAt(j)) >= 0) {
        flags += format.charAt(j++);
      }
      int width = -1;
      int ws = j;
      while (j < format.length() && Character.isDigit(format.charAt(j))) {
        j++;
      }
      if (j > ws) {
        width = Integer.parseInt(format.substring(ws, j));
      }
      int prec = -1;
      if (j < format.length() && format.charAt(j) == '.') {
        int ps = ++j;
        while (j < format.length() && Character.isDigit(format.charAt(j))) {
          j++;
        }
        prec = j > ps ? Integer.parseInt(format.substring(ps, j)) : 0;
      }
      if (j >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(j);
      i = j;
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argi >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object a = args.get(argi++);
      out.append(pad(verb(verb, flags, prec, a), width, flags));
    }
    if (argi < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        out.append(k > argi ? ", " : "").append(typeName(args.get(k))).append('=').append(print(args.get(k)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String pad(String s, int width, String flags) {
    if (width <= s.length()) {
      return s;
    }
    String fill = (flags.contains("0") && !flags.contains("-") ? "0" : " ").repeat(width - s.length());
    if (flags.contains("-")) {
      return s + fill;
    }
    if (fill.startsWith("0") && (s.startsWith("-") || s.startsWith("+"))) {
      return s.charAt(0) + fill + s.substring(1);
    }
    return fill + s;
  }

  private static String verb(char verb, String flags, int prec, Object a) {
    String plus = flags.contains("+") ? "+" : "";
    switch (verb) {
      case 'v', 's' -> {
        if (verb == 's' && !(a instanceof String) && (a instanceof Number || a instanceof Boolean)) {
          return bad(verb, a);
        }
        String s = print(a);
        return prec >= 0 && a instanceof String && s.length() > prec ? s.substring(0, prec) : s;
      }
      case 'q' -> {
        return a instanceof String s ? io.sightline.core.model.GoFormat.quote(s) : bad(verb, a);
      }
      case 't' -> {
        return a instanceof Boolean ? a.toString() : bad(verb, a);
      }
      case 'd' -> {
        return a instanceof Long l ? (l >= 0 ? plus : "") + l : bad(verb, a);
      }
      case 'x', 'X' -> {
        String s;
        if (a instanceof Long l) {
          s = Long.toHexString(l);
        } else if (a instanceof String str) {
          StringBuilder b = new StringBuilder();
          for (byte x : str.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            b.append(String.format("%02x", x & 0xff));
          }
          s = b.toString();
        } else {
          return bad(verb, a);
        }
        return verb == 'X' ? s.toUpperCase(java.util.Locale.ROOT) : s;
      }
      case 'f', 'F', 'e', 'g' -> {
        if (!(a instanceof Double d)) {
          return bad(verb, a);
        }
        String s = switch (verb) {
          case 'e' -> formatE(d, prec < 0 ? 6 : prec);
          case 'g' -> formatG(d, prec);
          default -> formatF(d, prec < 0 ? 6 : prec);
        };
        return (d >= 0 && !s.startsWith("+") ? plus : "") + s;
      }
      default -> {
        return bad(verb, a);
      }
    }
  }

  /** Go prints a mismatched verb in place instead of failing: {@code %!d(float64=1.5)}. */
  private static String bad(char verb, Object a) {
    return "%!" + verb + "(" + typeName(a) + "=" + print(a) + ")";
  }

  static String typeName(Object a) {
    if (a == null) {
      return "<nil>";
    }
    if (a instanceof Double) {
      return "float64";
    }
    if (a instanceof Long) {
      return "int";
    }
    if (a instanceof String) {
      return "string";
    }
    if (a instanceof Boolean) {
      return "bool";
    }
    if (a instanceof ArgsMap) {
      return "map[string]interface {}";
    }
    if (a instanceof Map<?, ?>) {
      return "map[string]string";
    }
    if (a instanceof Instant) {
      return "time.Time";
    }
    if (a instanceof Sample) {
      return "*template.sample";
    }
    if (a instanceof List<?>) {
      return "template.queryResult";
    }
    return a.getClass().getSimpleName();
  }
}

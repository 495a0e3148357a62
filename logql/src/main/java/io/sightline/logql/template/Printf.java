package io.sightline.logql.template;

import io.sightline.core.model.GoFormat;
import io.sightline.logql.syntax.GoStrconv;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Go's {@code fmt.Sprintf} for the verbs templates use: {@code %v %s %q %d %f %e %g %x %X %o %b %t %c %%}, flags
 * {@code - + 0 space #}, width and precision. A verb that does not fit its operand prints Go's {@code %!d(string=x)}.
 */
final class Printf {
  private Printf() {}

  static String format(String f, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int arg = 0;
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (++i >= f.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      boolean sharp = false;
      for (; i < f.length(); i++) {
        char fl = f.charAt(i);
        if (fl == '-') {
          minus = true;
        } else if (fl == '+') {
          plus = true;
        } else if (fl == '0') {
          zero = true;
        } else if (fl == ' ') {
          space = true;
        } else if (fl == '#') {
          sharp = true;
        } else {
          break;
        }
      }
      int width = -1;
      int st = i;
      while (i < f.length() && Character.isDigit(f.charAt(i))) {
        i++;
      }
      if (i > st) {
        width = Integer.parseInt(f.substring(st, i));
      }
      int prec = -1;
      if (i < f.length() && f.charAt(i) == '.') {
        i++;
        st = i;
        while (i < f.length() && Character.isDigit(f.charAt(i))) {
          i++;
        }
        prec = i > st ? Integer.parseInt(f.substring(st, i)) : 0;
      }
      if (i >= f.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = f.charAt(i);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (arg >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object v = args.get(arg++);
      String s = one(verb, v, prec, plus, space, sharp);
      if (width > s.length()) {
        String pad = (zero && !minus && verb != 's' && verb != 'v' && verb != 'q' ? "0" : " ")
            .repeat(width - s.length());
        if (minus) {
          s = s + pad;
        } else if (pad.charAt(0) == '0' && (s.startsWith("-") || s.startsWith("+"))) {
          s = s.charAt(0) + pad + s.substring(1);
        } else {
          s = pad + s;
        }
      }
      out.append(s);
    }
    if (arg < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = arg; k < args.size(); k++) {
        if (k > arg) {
          out.append(", ");
        }
        out.append(Exec.typeName(args.get(k))).append('=').append(Exec.print(args.get(k)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String bad(char verb, Object v) {
    return "%!" + verb + "(" + Exec.typeName(v) + "=" + Exec.print(v) + ")";
  }

  private static String one(char verb, Object v, int prec, boolean plus, boolean space, boolean sharp) {
    switch (verb) {
      case 'v' -> {
        return v instanceof Double d && plus && d >= 0 ? "+" + Exec.print(v) : Exec.print(v);
      }
      case 's' -> {
        String s = Exec.print(v);
        if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
          return bad(verb, v);
        }
        return prec >= 0 && s.codePointCount(0, s.length()) > prec ? s.substring(0, s.offsetByCodePoints(0, prec))
            : s;
      }
      case 'q' -> {
        return v instanceof String s ? GoFormat.quote(s) : v instanceof Long l ? "'" + new String(
            Character.toChars((int) (long) l)) + "'" : bad(verb, v);
      }
      case 't' -> {
        return v instanceof Boolean b ? b.toString() : bad(verb, v);
      }
      case 'c' -> {
        return v instanceof Long l ? new String(Character.toChars((int) (long) l)) : bad(verb, v);
      }
      case 'd', 'x', 'X', 'o', 'b' -> {
        if (v instanceof Long l) {
          String s = switch (verb) {
            case 'd' -> Long.toString(Math.abs(l));
            case 'x' -> Long.toHexString(Math.abs(l));
            case 'X' -> Long.toHexString(Math.abs(l)).toUpperCase();
            case 'o' -> Long.toOctalString(Math.abs(l));
            default -> Long.toBinaryString(Math.abs(l));
          };
          if (sharp && verb == 'x') {
            s = "0x" + s;
          }
          return (l < 0 ? "-" : plus ? "+" : space ? " " : "") + s;
        }
        if (v instanceof String s && (verb == 'x' || verb == 'X')) {
          StringBuilder b = new StringBuilder();
          for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            b.append(String.format(verb == 'x' ? "%02x" : "%02X", x & 0xff));
          }
          return b.toString();
        }
        return bad(verb, v);
      }
      case 'f', 'F', 'e', 'E', 'g', 'G' -> {
        if (!(v instanceof Double d)) {
          return bad(verb, v);
        }
        String s;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          s = Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
        } else if (verb == 'f' || verb == 'F') {
          s = new BigDecimal(d).setScale(prec < 0 ? 6 : prec, RoundingMode.HALF_EVEN).toPlainString();
        } else if (verb == 'e' || verb == 'E') {
          s = exponent(d, prec < 0 ? 6 : prec);
          if (verb == 'E') {
            s = s.toUpperCase();
          }
        } else {
          s = prec < 0 ? GoStrconv.formatG(d) : GoFormat.exponent(new BigDecimal(d).round(
              new java.math.MathContext(Math.max(prec, 1), RoundingMode.HALF_EVEN)).doubleValue(), true);
          if (prec >= 0) {
            BigDecimal r = new BigDecimal(d).round(new java.math.MathContext(Math.max(prec, 1),
                RoundingMode.HALF_EVEN));
            int exp = r.precision() - r.scale() - 1;
            s = exp < -4 || exp >= Math.max(prec, 1) ? GoFormat.exponent(r.doubleValue(), true)
                : r.stripTrailingZeros().toPlainString();
          }
          if (verb == 'G') {
            s = s.toUpperCase();
          }
        }
        if (plus && d >= 0) {
          s = "+" + s;
        } else if (space && d >= 0) {
          s = " " + s;
        }
        return s;
      }
      default -> {
        return "%!" + verb + "(" + Exec.typeName(v) + "=" + Exec.print(v) + ")";
      }
    }
  }

  private static String exponent(double d, int prec) {
    if (d == 0) {
      return "0" + (prec > 0 ? "." + "0".repeat(prec) : "") + "e+00";
    }
    BigDecimal b = new BigDecimal(d).round(new java.math.MathContext(prec + 1, RoundingMode.HALF_EVEN));
    int exp = b.precision() - b.scale() - 1;
    BigDecimal mant = b.movePointLeft(exp).setScale(prec, RoundingMode.HALF_EVEN);
    String e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : Integer.toString(Math.abs(exp));
    return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + e;
  }
}

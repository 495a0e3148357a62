package io.sightline.logql.template;

/** Go literals in templates: quoted strings and numbers (int as Long, float as Double). */
final class GoString {
  private GoString() {}

  /** Go's {@code strconv.Unquote} of a double-quoted literal, or null. */
  static String unquote(String lit) {
    if (lit.length() < 2 || lit.charAt(0) != '"' || lit.charAt(lit.length() - 1) != '"') {
      return null;
    }
    String body = lit.substring(1, lit.length() - 1);
    StringBuilder b = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '"' || c == '\n') {
        return null;
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i >= body.length()) {
        return null;
      }
      char e = body.charAt(i);
      switch (e) {
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'v' -> b.append('\u000b');
        case '\\', '"' -> b.append(e);
        case 'x', 'u', 'U' -> {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (i + n >= body.length()) {
            return null;
          }
          try {
            int v = Integer.parseUnsignedInt(body.substring(i + 1, i + 1 + n), 16);
            b.appendCodePoint(e == 'x' && v > 0x7F ? 0xFFFD : v);
          } catch (RuntimeException x) {
            return null;
          }
          i += n;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 3 > body.length()) {
            return null;
          }
          try {
            int v = Integer.parseInt(body.substring(i, i + 3), 8);
            b.append(v > 0x7F ? '\uFFFD' : (char) v);
          } catch (NumberFormatException x) {
            return null;
          }
          i += 2;
        }
        default -> {
          return null;
        }
      }
    }
    return b.toString();
  }

  /** A Go number literal: Long for integers (decimal, 0x, 0o, 0b, with underscores), Double otherwise; null if bad. */
  static Object number(String n) {
    String s = n.replace("_", "");
    boolean neg = s.startsWith("-");
    String u = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    try {
      if (u.matches("0[xX][0-9a-fA-F]+")) {
        return (neg ? -1 : 1) * Long.parseLong(u.substring(2), 16);
      }
      if (u.matches("0[oO]?[0-7]+")) {
        return (neg ? -1 : 1) * Long.parseLong(u.replaceFirst("0[oO]?", ""), 8);
      }
      if (u.matches("0[bB][01]+")) {
        return (neg ? -1 : 1) * Long.parseLong(u.substring(2), 2);
      }
      if (u.matches("[0-9]+")) {
        return Long.parseLong(s);
      }
      if (u.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
        return Double.parseDouble(s);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }
}

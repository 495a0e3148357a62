package io.sightline.logql.template;

/** Go number literals in templates: int as Long, float as Double. */
final class GoString {
  private GoString() {}

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

package io.sightline.rules.template;

/** Go's {@code strconv.Quote} for the printable cases, for {@code %q}. */
final class Quote {
  private Quote() {}

  static String go(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> b.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
      }
    }
    return b.append('"').toString();
  }
}

package io.sightline.collector.receiver.prometheus.textparse;

import java.nio.charset.StandardCharsets;

/**
 * Bytes shown in error messages as Go's {@code %q} shows them, so that messages read like Prometheus' own: printable
 * text as is, {@code \n}, {@code \t}, {@code \"} and friends escaped, and bytes that are no UTF-8 as {@code \xff}.
 */
final class GoQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoQuote() {}

  static String quote(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from + 2).append('"');
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      int length = c < 0x80 ? 1 : Utf8.sequenceLength(b, i, to);
      if (length == 0) {
        hexByte(sb, c);
        i++;
        continue;
      }
      if (length == 1) {
        ascii(sb, (char) c);
      } else {
        int codePoint = new String(b, i, length, StandardCharsets.UTF_8).codePointAt(0);
        if (Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.FORMAT) {
          sb.append(String.format("\\u%04x", codePoint));
        } else {
          sb.appendCodePoint(codePoint);
        }
      }
      i += length;
    }
    return sb.append('"').toString();
  }

  static String quote(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return quote(bytes, 0, bytes.length);
  }

  private static void ascii(StringBuilder sb, char c) {
    switch (c) {
      case '\n' -> sb.append("\\n");
      case '\t' -> sb.append("\\t");
      case '\r' -> sb.append("\\r");
      case '\\' -> sb.append("\\\\");
      case '"' -> sb.append("\\\"");
      case 0x07 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case 0x0b -> sb.append("\\v");
      default -> {
        if (c < 0x20 || c == 0x7f) {
          hexByte(sb, c);
        } else {
          sb.append(c);
        }
      }
    }
  }

  private static void hexByte(StringBuilder sb, int c) {
    sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
  }
}

package io.sightline.collector.receiver.loki;

/** UTF-8 byte counts of strings, since Loki's limits count bytes (Go's {@code len}) and Java strings hold chars. */
final class Utf8 {
  private Utf8() {}

  static int length(String s) {
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // four bytes for the pair of chars
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /** The longest prefix of {@code s} of at most {@code maxBytes} UTF-8 bytes that does not split a character. */
  static String prefix(String s, int maxBytes) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int width;
      int chars = 1;
      if (c < 0x80) {
        width = 1;
      } else if (c < 0x800) {
        width = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        width = 4;
        chars = 2;
      } else {
        width = 3;
      }
      if (bytes + width > maxBytes) {
        return s.substring(0, i);
      }
      bytes += width;
      i += chars - 1;
    }
    return s;
  }
}

package io.sightline.logql.syntax;

/**
 * Go's {@code utf8.DecodeRune} over bytes: LogQL works on lines as bytes, and where Loki decodes runes (columns in
 * error positions, case folding, pattern literals) an invalid sequence is one {@link #RUNE_ERROR} of width 1.
 */
public final class Utf8 {
  public static final int RUNE_ERROR = 0xFFFD;

  private Utf8() {}

  /** The rune at {@code i} and its width, packed as {@code rune << 32 | width}. */
  public static long decode(byte[] b, int i) {
    return decode(b, i, b.length);
  }

  /** As {@link #decode(byte[], int)}, reading no further than {@code end}. */
  public static long decode(byte[] b, int i, int end) {
    int c0 = b[i] & 0xff;
    if (c0 < 0x80) {
      return (long) c0 << 32 | 1;
    }
    int n = end - i;
    if (c0 >= 0xC2 && c0 <= 0xDF) {
      if (n >= 2 && cont(b[i + 1])) {
        return (long) ((c0 & 0x1F) << 6 | b[i + 1] & 0x3F) << 32 | 2;
      }
    } else if (c0 >= 0xE0 && c0 <= 0xEF) {
      if (n >= 3 && cont(b[i + 1]) && cont(b[i + 2])) {
        int r = (c0 & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F;
        if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) {
          return (long) r << 32 | 3;
        }
      }
    } else if (c0 >= 0xF0 && c0 <= 0xF4) {
      if (n >= 4 && cont(b[i + 1]) && cont(b[i + 2]) && cont(b[i + 3])) {
        int r = (c0 & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | b[i + 3] & 0x3F;
        if (r >= 0x10000 && r <= 0x10FFFF) {
          return (long) r << 32 | 4;
        }
      }
    }
    return (long) RUNE_ERROR << 32 | 1;
  }

  private static boolean cont(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Whether the bytes are valid UTF-8, as Go's {@code utf8.Valid}. */
  public static boolean valid(byte[] b, int from, int to) {
    for (int i = from; i < to; ) {
      if (b[i] >= 0) {
        i++;
        continue;
      }
      long d = decode(b, i, to);
      if ((int) (d >>> 32) == RUNE_ERROR && (int) d == 1) {
        return false;
      }
      i += (int) d;
    }
    return true;
  }
}

package io.sightline.logql.log;

import io.sightline.logql.syntax.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte-level searches for line filters: no decoding, no allocation. */
final class Bytes {
  private Bytes() {}

  /** First index of {@code needle} in {@code buf[off, off+len)}, or -1 (Go's {@code bytes.Index}). */
  static int indexOf(byte[] buf, int off, int len, byte[] needle) {
    int n = needle.length;
    if (n == 0) {
      return 0;
    }
    if (n > len) {
      return -1;
    }
    byte first = needle[0];
    byte end = needle[n - 1];
    int last = off + len - n;
    // The first and the last byte together rule out most places (in hex ids the first alone matches one in 16); the
    // rest is compared with the vectorized Arrays.equals.
    for (int i = off; i <= last; i++) {
      if (buf[i] == first && buf[i + n - 1] == end && (n <= 2 || Arrays.equals(buf, i + 1, i + n - 1, needle, 1,
          n - 1))) {
        return i - off;
      }
    }
    return -1;
  }

  static boolean contains(byte[] buf, int off, int len, byte[] needle) {
    return indexOf(buf, off, len, needle) >= 0;
  }

  static boolean equals(byte[] buf, int off, int len, byte[] other) {
    if (len != other.length) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (buf[off + i] != other[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Loki's {@code containsLower}: whether the line contains {@code lower} (already lower-cased) ignoring case, ASCII
   * compared byte by byte, other runes through {@link Character#toLowerCase(int)}.
   */
  static boolean containsLower(byte[] line, int off, int len, byte[] lower) {
    if (lower.length == 0) {
      return true;
    }
    if (lower.length > len) {
      return false;
    }
    int end = off + len;
    byte first = lower[0];
    int max = end - lower.length;
    for (int i = off; i <= max; i++) {
      byte c = line[i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != first) {
        continue;
      }
      int lp = i;
      int sp = 0;
      boolean matched = true;
      while (lp < end && sp < lower.length) {
        int lc = line[lp] & 0xff;
        int sc = lower[sp] & 0xff;
        if (lc < 0x80 && sc < 0x80) {
          if (lc >= 'A' && lc <= 'Z') {
            lc += 'a' - 'A';
          }
          if (lc != sc) {
            matched = false;
            break;
          }
          lp++;
          sp++;
          continue;
        }
        long ld = Utf8.decode(line, lp, end);
        int lr = (int) (ld >>> 32);
        int lw = (int) ld;
        if (lr == Utf8.RUNE_ERROR && lw == 1) {
          if (lc >= 'A' && lc <= 'Z') {
            lc += 'a' - 'A';
          }
          if (lc != sc) {
            matched = false;
            break;
          }
          lp++;
          sp++;
          continue;
        }
        long md = Utf8.decode(lower, sp);
        int mr = (int) (md >>> 32);
        if (mr == Utf8.RUNE_ERROR && (int) md == 1) {
          matched = false;
          break;
        }
        if (Character.toLowerCase(lr) != mr) {
          matched = false;
          break;
        }
        lp += lw;
        sp += (int) md;
      }
      if (matched && sp == lower.length) {
        return true;
      }
    }
    return false;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Lower-cases as Go's {@code bytes.ToLower}. */
  static byte[] lower(String s) {
    return utf8(s.toLowerCase(java.util.Locale.ROOT));
  }

  /** Whether every byte is ASCII, so that a {@link AsciiChars} view decodes the line exactly. */
  static boolean ascii(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }
}

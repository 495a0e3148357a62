package io.sightline.collector.receiver.prometheus.textparse;

/**
 * UTF-8 checked as Go's {@code utf8.Valid} checks it: no overlong forms, no surrogates, nothing above U+10FFFF. Java's
 * decoder would replace such bytes with U+FFFD without a word; Prometheus refuses them in label values and help.
 */
final class Utf8 {
  private Utf8() {}

  static boolean isValid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (b[i] >= 0) {
        i++;
        continue;
      }
      int length = sequenceLength(b, i, to);
      if (length == 0) {
        return false;
      }
      i += length;
    }
    return true;
  }

  /** The length of the well-formed sequence at {@code i} (1 for ASCII), or 0 if the bytes there are no UTF-8. */
  static int sequenceLength(byte[] b, int i, int to) {
    int c = b[i] & 0xff;
    if (c < 0x80) {
      return 1;
    }
    int length;
    int min = 0x80;
    int max = 0xbf; // the range of the second byte, narrowed to rule out overlongs and surrogates
    if (c >= 0xc2 && c <= 0xdf) {
      length = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      length = 3;
      if (c == 0xe0) {
        min = 0xa0;
      } else if (c == 0xed) {
        max = 0x9f;
      }
    } else if (c >= 0xf0 && c <= 0xf4) {
      length = 4;
      if (c == 0xf0) {
        min = 0x90;
      } else if (c == 0xf4) {
        max = 0x8f;
      }
    } else {
      return 0;
    }
    if (i + length > to) {
      return 0;
    }
    int second = b[i + 1] & 0xff;
    if (second < min || second > max) {
      return 0;
    }
    for (int k = 2; k < length; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return 0;
      }
    }
    return length;
  }
}

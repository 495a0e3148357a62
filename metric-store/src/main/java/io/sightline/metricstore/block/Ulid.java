package io.sightline.metricstore.block;

import java.security.SecureRandom;

/**
 * Block ids as Prometheus makes them: ULIDs, 26 Crockford base-32 characters of a 48-bit millisecond time and 80 random
 * bits, so that ids sort by creation time.
 */
public final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ulid() {}

  public static String next() {
    return of(System.currentTimeMillis(), RANDOM);
  }

  static String of(long timeMs, java.util.Random random) {
    char[] out = new char[26];
    long time = timeMs;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] r = new byte[10];
    random.nextBytes(r);
    // 80 bits as 16 characters of 5 bits, most significant first.
    long hi = ((r[0] & 0xFFL) << 32) | ((r[1] & 0xFFL) << 24) | ((r[2] & 0xFFL) << 16) | ((r[3] & 0xFFL) << 8)
        | (r[4] & 0xFFL);
    long lo = ((r[5] & 0xFFL) << 32) | ((r[6] & 0xFFL) << 24) | ((r[7] & 0xFFL) << 16) | ((r[8] & 0xFFL) << 8)
        | (r[9] & 0xFFL);
    for (int i = 0; i < 8; i++) {
      out[10 + i] = ALPHABET[(int) (hi >>> (35 - 5 * i)) & 31];
      out[18 + i] = ALPHABET[(int) (lo >>> (35 - 5 * i)) & 31];
    }
    return new String(out);
  }

  /** Whether {@code name} looks like a ULID (a block directory, not a leftover). */
  public static boolean matches(String name) {
    return name.length() == 26 && name.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'A' && c <= 'Z');
  }
}

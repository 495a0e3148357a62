package io.sightline.tracestore.block;

import java.security.SecureRandom;

/**
 * Block ids: ULIDs (26 Crockford base-32 characters: 48 bits of milliseconds, then 80 random bits), so that block
 * directories sort by the time they were written, as Tempo's and Prometheus' do.
 */
public final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ulid() {}

  public static String next() {
    char[] out = new char[26];
    long time = System.currentTimeMillis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    for (int i = 10; i < 26; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(32)];
    }
    return new String(out);
  }

  /** Whether {@code name} is a block directory's name. */
  public static boolean matches(String name) {
    if (name.length() != 26) {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      if (new String(ALPHABET).indexOf(name.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}

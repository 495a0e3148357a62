package io.sightline.logstore.block;

import java.security.SecureRandom;

/**
 * Block ids: ULIDs (26 Crockford base-32 characters: 48 bits of milliseconds, then 80 random bits), so that block
 * files sort by the time they were written, as Loki's, Tempo's and Prometheus' do.
 */
public final class Ulid {
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long last;

  private Ulid() {}

  /**
   * A new id, later in order than every id this process made before: the merge orders blocks by id ("order stored"),
   * so two blocks written in one millisecond take consecutive milliseconds.
   */
  public static synchronized String next() {
    char[] out = new char[26];
    long time = Math.max(System.currentTimeMillis(), last + 1);
    last = time;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (time & 31));
      time >>>= 5;
    }
    for (int i = 10; i < 26; i++) {
      out[i] = ALPHABET.charAt(RANDOM.nextInt(32));
    }
    return new String(out);
  }

  public static boolean matches(String name) {
    if (name.length() != 26) {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      if (ALPHABET.indexOf(name.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}

package io.sightline.collector.receiver.prometheus.textparse;

import java.nio.charset.StandardCharsets;

/**
 * The strings of one parse, looked up by their bytes: a scrape repeats its metric names, label names and most label
 * values on line after line, so each is made once and then shared. Shared instances also keep their cached hash
 * codes, which the label sets built from them use. Lives for one parse; nothing is interned globally.
 *
 * <pre>
 *   slot = hash(bytes) &amp; MASK     strings[slot] = "http_requests_total"   hashes[slot] = hash
 *   a miss, or a different string in the slot → a new String replaces it (direct-mapped, no chains)
 * </pre>
 */
final class StringTable {
  /** 4096 slots hold the distinct tokens of a typical scrape with room to spare; 48 KiB per parse. */
  private static final int SLOTS = 4096;
  private static final int MASK = SLOTS - 1;
  /** Longer strings are rarely repeated (help text, unique ids) and cost more to compare than to copy. */
  private static final int MAX_CACHED_LENGTH = 128;

  private final String[] strings = new String[SLOTS];
  private final int[] hashes = new int[SLOTS];

  /** The string of the ASCII bytes {@code b[from, to)}. */
  String ascii(byte[] b, int from, int to) {
    int length = to - from;
    if (length > MAX_CACHED_LENGTH) {
      return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 16)) & MASK;
    String s = strings[slot];
    if (s != null && hashes[slot] == h && sameChars(s, b, from, length)) {
      return s;
    }
    s = new String(b, from, length, StandardCharsets.ISO_8859_1);
    strings[slot] = s;
    hashes[slot] = h;
    return s;
  }

  private static boolean sameChars(String s, byte[] b, int from, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != b[from + i]) {
        return false;
      }
    }
    return true;
  }
}

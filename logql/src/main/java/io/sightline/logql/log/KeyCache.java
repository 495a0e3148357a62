package io.sightline.logql.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Label names made from raw keys (sanitised, or not), remembered by the key's bytes so that a parser finding the
 * same keys line after line allocates nothing for them (Loki's {@code internedStringSet}, 1024 entries). A full
 * slot is overwritten.
 */
final class KeyCache {
  private static final int SIZE = 1024;

  private final byte[][] keys = new byte[SIZE][];
  private final String[] names = new String[SIZE];
  private final Function<String, String> make;

  KeyCache(Function<String, String> make) {
    this.make = make;
  }

  /** The name for {@code b[from, to)}; {@code make} may return null (no label), which is remembered too. */
  String get(byte[] b, int from, int to) {
    int h = 0x811c9dc5;
    for (int i = from; i < to; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    int slot = (h ^ h >>> 16) & SIZE - 1;
    byte[] k = keys[slot];
    if (k != null && Arrays.equals(k, 0, k.length, b, from, to)) {
      return names[slot];
    }
    String name = make.apply(new String(b, from, to - from, StandardCharsets.UTF_8));
    keys[slot] = Arrays.copyOfRange(b, from, to);
    names[slot] = name;
    return name;
  }

  /** A cache of sanitised names, with no label for a key that sanitises to nothing. */
  static KeyCache sanitizing() {
    return new KeyCache(k -> {
      String s = sanitize(k, true);
      return s.isEmpty() ? null : s;
    });
  }

  /** Loki's {@code sanitizeLabelKey}: trimmed, {@code _} before a leading digit, other characters to {@code _}. */
  static String sanitize(String key, boolean prefix) {
    if (key.isEmpty()) {
      return key;
    }
    key = key.strip();
    if (key.isEmpty()) {
      return key;
    }
    StringBuilder b = new StringBuilder(key.length() + 1);
    if (prefix && key.charAt(0) >= '0' && key.charAt(0) <= '9') {
      b.append('_');
    }
    key.codePoints().forEach(r -> b.append(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
        || r >= '0' && r <= '9' ? (char) r : '_'));
    return b.toString();
  }
}

package io.sightline.tracestore.column;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of one row group, numbered in order of first use: names, attribute keys and string values, status
 * messages, trace states. Columns hold the numbers. Stored as a page of its own:
 * {@code count <uvarint>, then count × (length <uvarint>, UTF-8 bytes)}.
 *
 * <p>Entries are kept as UTF-8 bytes in one arena and found through an open-addressing table over those bytes, so
 * that a block cut, which writes spans straight from their OTLP encodings, numbers a string without decoding it: a
 * {@code String} and a map entry per attribute value were a fifth of a cut's allocation. {@link #string} decodes an
 * entry once, on demand.
 */
public final class StringDictionary {
  private static final int[] NO_SLOTS = new int[0];

  private byte[] arena = new byte[4096];
  private int arenaSize;
  /**
   * Per id, side by side so that a probe touches one line: where its bytes start in the arena, their length, their
   * hash.
   */
  private int[] entries = new int[3 * 256];
  private String[] decoded = new String[256];
  private int size;
  /** Open addressing, linear probing: id + 1, 0 for free. Power of two, at most half full. */
  private int[] slots = NO_SLOTS;

  /** The id of the UTF-8 bytes {@code b[from, to)}, numbered anew if they are not in the dictionary yet. */
  public int id(byte[] b, int from, int to) {
    int length = to - from;
    int hash = hash(b, from, to);
    if (2 * (size + 1) > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      int slot = slots[i];
      if (slot == 0) {
        int id = add(b, from, length, hash);
        slots[i] = id + 1;
        return id;
      }
      int e = 3 * (slot - 1);
      if (entries[e + 2] == hash && entries[e + 1] == length
          && Arrays.equals(arena, entries[e], entries[e] + length, b, from, to)) {
        return slot - 1;
      }
    }
  }

  public int id(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    int id = id(utf8, 0, utf8.length);
    if (decoded[id] == null) {
      decoded[id] = s;
    }
    return id;
  }

  /** Entry {@code id} as a string, decoded on first use. */
  public String string(int id) {
    String s = decoded[id];
    if (s == null) {
      s = new String(arena, entries[3 * id], entries[3 * id + 1], StandardCharsets.UTF_8);
      decoded[id] = s;
    }
    return s;
  }

  public int size() {
    return size;
  }

  public void clear() {
    Arrays.fill(slots, 0);
    Arrays.fill(decoded, 0, size, null);
    size = 0;
    arenaSize = 0;
  }

  public void writeTo(EncodeBuffer out) {
    out.putUvarint(size);
    for (int id = 0; id < size; id++) {
      out.putUvarint(entries[3 * id + 1]).putBytes(arena, entries[3 * id], entries[3 * id + 1]);
    }
  }

  public static String[] read(byte[] raw) {
    DecodeBuffer in = new DecodeBuffer(raw);
    long n = in.getUvarint();
    if (n > raw.length) {
      throw new IllegalArgumentException("dictionary of " + n + " strings in " + raw.length + " bytes");
    }
    String[] out = new String[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getString();
    }
    return out;
  }

  private int add(byte[] b, int from, int length, int hash) {
    if (arenaSize + length > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
    }
    System.arraycopy(b, from, arena, arenaSize, length);
    if (3 * size == entries.length) {
      entries = Arrays.copyOf(entries, entries.length * 2);
      decoded = Arrays.copyOf(decoded, size * 2);
    }
    entries[3 * size] = arenaSize;
    entries[3 * size + 1] = length;
    entries[3 * size + 2] = hash;
    arenaSize += length;
    return size++;
  }

  private void grow() {
    int[] grown = new int[Math.max(64, slots.length * 2)];
    int mask = grown.length - 1;
    for (int id = 0; id < size; id++) {
      int i = entries[3 * id + 2] & mask;
      while (grown[i] != 0) {
        i = (i + 1) & mask;
      }
      grown[i] = id + 1;
    }
    slots = grown;
  }

  /** FNV-1a, then mixed so that linear probing on the low bits spreads. */
  private static int hash(byte[] b, int from, int to) {
    int h = 0x811C9DC5;
    for (int i = from; i < to; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }
}

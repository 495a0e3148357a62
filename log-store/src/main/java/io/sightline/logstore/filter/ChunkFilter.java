package io.sightline.logstore.filter;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;

/**
 * A bloom filter over a chunk's token keys ({@link TokenKeys}):
 *
 * <pre>
 *   bits: ┌─┬─┬─┬─┬─┬─┬─┬─┬─┬─┬─┐   key ─▶ h1 = key, h2 = mix(key) | 1
 *         │0│1│0│0│1│0│1│0│0│1│0│   probe i (0 ≤ i < hashes) = (h1 + i·h2) mod bits, unsigned
 *         └─┴─┴─┴─┴─┴─┴─┴─┴─┴─┴─┘
 * </pre>
 *
 * A false positive only costs a decompressed chunk; a needle usually has two or more keys, which must all be present,
 * so the chunk-level false-positive rate is well below the per-key one.
 */
public final class ChunkFilter {
  /** Eight bits and five probes per key: about 2 % false positives per key, one byte per distinct token. */
  static final int BITS_PER_KEY = 8;
  static final int HASHES = 5;

  private final long[] words;
  private final int hashes;
  private final long bits;

  private ChunkFilter(long[] words, int hashes) {
    this.words = words;
    this.hashes = hashes;
    this.bits = (long) words.length * 64;
  }

  /** A filter holding every key of {@code keys}. */
  public static ChunkFilter of(LongHashSet keys) {
    long n = Math.max(1, ((long) keys.size() * BITS_PER_KEY + 63) / 64);
    ChunkFilter f = new ChunkFilter(new long[(int) n], HASHES);
    keys.forEach(f::add);
    return f;
  }

  private void add(long key) {
    long h2 = Mixing.mix(key) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = Long.remainderUnsigned(key + i * h2, bits);
      words[(int) (bit >>> 6)] |= 1L << bit;
    }
  }

  public boolean mayContain(long key) {
    long h2 = Mixing.mix(key) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = Long.remainderUnsigned(key + i * h2, bits);
      if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether every key is possibly present. */
  public boolean mayContainAll(long[] keys) {
    for (long k : keys) {
      if (!mayContain(k)) {
        return false;
      }
    }
    return true;
  }

  /** {@code hashes <1B>, words <uvarint>, words × 8B little-endian}. */
  public void writeTo(EncodeBuffer out) {
    out.putByte(hashes).putUvarint(words.length);
    for (long w : words) {
      out.putLongLE(w);
    }
  }

  public static ChunkFilter read(byte[] b, int from, int length) {
    DecodeBuffer in = new DecodeBuffer(b, from, length);
    int hashes = in.getByte();
    long n = in.getUvarint();
    if (hashes == 0 || hashes > 32 || n == 0 || n * 8 != in.remaining()) {
      throw new IllegalArgumentException("filter of " + n + " words in " + in.remaining() + " bytes");
    }
    int at = from + length - in.remaining();
    long[] words = new long[(int) n];
    for (int i = 0; i < words.length; i++) {
      words[i] = Mixing.pack8(b, at + 8 * i);
    }
    return new ChunkFilter(words, hashes);
  }
}

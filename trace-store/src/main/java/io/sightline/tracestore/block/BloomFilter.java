package io.sightline.tracestore.block;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.tracestore.model.TraceKey;

/**
 * The trace ids of a block as a bloom filter, so that a lookup of an id the block lacks reads no column:
 *
 * <pre>
 *   bits: ┌─┬─┬─┬─┬─┬─┬─┬─┬─┬─┬─┬─┬─┐   id ─▶ h1 = mix(lo), h2 = mix(hi) | 1
 *         │0│1│0│0│1│0│1│0│0│1│0│0│1│   bit i (0 ≤ i < k) = (h1 + i·h2) mod m, unsigned
 *         └─┴─┴─┴─┴─┴─┴─┴─┴─┴─┴─┴─┴─┘
 * </pre>
 *
 * Trace ids are random already; the mix only guards against ids that are not (sequential test ids, zero halves).
 */
public final class BloomFilter {
  /** Ten bits and seven hashes per id: about 0.8 % false positives, 1.25 bytes per trace. */
  static final int BITS_PER_KEY = 10;
  static final int HASHES = 7;

  private final long[] words;
  private final int hashes;
  private final long bits;

  private BloomFilter(long[] words, int hashes) {
    this.words = words;
    this.hashes = hashes;
    this.bits = (long) words.length * 64;
  }

  public static BloomFilter forKeys(long keys) {
    long bits = Math.max(64, keys * BITS_PER_KEY);
    long n = (bits + 63) / 64;
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many keys for one bloom filter: " + keys);
    }
    return new BloomFilter(new long[(int) n], HASHES);
  }

  public void add(TraceKey key) {
    long h1 = mix(key.lo());
    long h2 = mix(key.hi()) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = Long.remainderUnsigned(h1 + i * h2, bits);
      words[(int) (bit >>> 6)] |= 1L << bit;
    }
  }

  public boolean mayContain(TraceKey key) {
    long h1 = mix(key.lo());
    long h2 = mix(key.hi()) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = Long.remainderUnsigned(h1 + i * h2, bits);
      if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /** {@code hashes <1B>, words <uvarint>, words × 8 B (big-endian)}. */
  void writeTo(EncodeBuffer out) {
    out.putByte(hashes).putUvarint(words.length);
    for (long w : words) {
      out.putLongBE(w);
    }
  }

  static BloomFilter read(DecodeBuffer in) {
    int hashes = in.getByte();
    long n = in.getUvarint();
    if (hashes == 0 || n == 0 || n * 8 != in.remaining()) {
      throw new IllegalArgumentException("bloom filter of " + n + " words in " + in.remaining() + " bytes");
    }
    long[] words = new long[(int) n];
    for (int i = 0; i < words.length; i++) {
      words[i] = in.getLongBE();
    }
    return new BloomFilter(words, hashes);
  }

  long sizeBytes() {
    return words.length * 8L;
  }

  /** The finalizer of MurmurHash3's 64-bit variant: every input bit moves about half the output bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}

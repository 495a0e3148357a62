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
  /**
   * Ten bits and seven probes per key: about 0.8 % false positives per key. A trace-id needle often has a single key
   * (its grams' minimum), so this is near the chunk-level rate too: over a gigabyte (250 chunks) two or three chunks
   * are read in vain. Eight bits (2 %) measured a dozen; the filters take 0.022 bytes per raw byte of JSON logs.
   */
  static final int BITS_PER_KEY = 10;
  static final int HASHES = 7;

  /**
   * The bits, as stored: bit k is bit {@code k & 7} of byte {@code k >>> 3} (64-bit little-endian words), so that a
   * filter read from disk is probed where it lies, without a copy.
   */
  private final byte[] bytes;
  private final int from;
  private final int hashes;
  private final long bits;

  private ChunkFilter(byte[] bytes, int from, long words, int hashes) {
    this.bytes = bytes;
    this.from = from;
    this.hashes = hashes;
    this.bits = words * 64;
  }

  /** A filter holding every key of {@code keys}. */
  public static ChunkFilter of(LongHashSet keys) {
    long n = Math.max(1, ((long) keys.size() * BITS_PER_KEY + 63) / 64);
    ChunkFilter f = new ChunkFilter(new byte[(int) (n * 8)], 0, n, HASHES);
    keys.forEach(f::add);
    return f;
  }

  private void add(long key) {
    long h2 = Mixing.mix(key) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = Long.remainderUnsigned(key + i * h2, bits);
      bytes[from + (int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
    }
  }

  public boolean mayContain(long key) {
    long h2 = Mixing.mix(key) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = Long.remainderUnsigned(key + i * h2, bits);
      if ((bytes[from + (int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
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
    out.putByte(hashes).putUvarint(bits / 64);
    out.putBytes(bytes, from, (int) (bits / 8));
  }

  /** The filter stored in {@code b[from, from + length)}; it keeps using (not copying) those bytes. */
  public static ChunkFilter read(byte[] b, int from, int length) {
    DecodeBuffer in = new DecodeBuffer(b, from, length);
    int hashes = in.getByte();
    long n = in.getUvarint();
    if (hashes == 0 || hashes > 32 || n == 0 || n * 8 != in.remaining()) {
      throw new IllegalArgumentException("filter of " + n + " words in " + in.remaining() + " bytes");
    }
    return new ChunkFilter(b, from + length - in.remaining(), n, hashes);
  }
}

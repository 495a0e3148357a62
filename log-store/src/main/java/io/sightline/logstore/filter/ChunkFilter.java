package io.sightline.logstore.filter;

import io.sightline.core.encoding.EncodeBuffer;
import java.nio.ByteBuffer;

/**
 * A bloom filter over a chunk's token keys ({@link TokenKeys}):
 *
 * <pre>
 *   bits: ┌─┬─┬─┬─┬─┬─┬─┬─┬─┬─┬─┐   key ─▶ h1 = mix(key), h2 = mix(h1) | 1
 *         │0│1│0│0│1│0│1│0│0│1│0│   probe i (0 ≤ i < hashes) = ((h1 + i·h2) >>> 32) · bits >>> 32
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
  /** The probe's scaling takes 32 bits of the bit count. */
  static final long MAX_WORDS = (1L << 32) / 64;

  /**
   * The bits, as stored: bit k is bit {@code k & 7} of byte {@code k >>> 3} (64-bit little-endian words), so that a
   * filter is probed where it lies, without a copy: in an array it was built or read into, or in a block file
   * mapped into memory (the page cache holds the filters that queries use, not the heap).
   */
  private final ByteBuffer bytes;
  private final int from;
  private final int hashes;
  private final long bits;

  private ChunkFilter(ByteBuffer bytes, int from, long words, int hashes) {
    this.bytes = bytes;
    this.from = from;
    this.hashes = hashes;
    this.bits = words * 64;
  }

  /** A filter holding every key of {@code keys}. */
  public static ChunkFilter of(LongHashSet keys) {
    long n = Math.min(MAX_WORDS, Math.max(1, ((long) keys.size() * BITS_PER_KEY + 63) / 64));
    ChunkFilter f = new ChunkFilter(ByteBuffer.wrap(new byte[(int) (n * 8)]), 0, n, HASHES);
    keys.forEach(f::add);
    return f;
  }

  private void add(long key) {
    // Mixed once more: a winnowed key is a minimum, so its high bits, which the probes use, lean low.
    long h1 = Mixing.mix(key);
    long h2 = Mixing.mix(h1) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = probe(h1 + i * h2);
      int at = from + (int) (bit >>> 3);
      bytes.put(at, (byte) (bytes.get(at) | (1 << (bit & 7))));
    }
  }

  public boolean mayContain(long key) {
    long h1 = Mixing.mix(key);
    long h2 = Mixing.mix(h1) | 1;
    for (int i = 0; i < hashes; i++) {
      long bit = probe(h1 + i * h2);
      if ((bytes.get(from + (int) (bit >>> 3)) & (1 << (bit & 7))) == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A bit index from a probe hash: its high 32 bits scaled to the filter's size (Lemire's multiply-shift), which
   * spreads as well as a remainder and costs a multiplication instead of a 64-bit division.
   */
  private long probe(long h) {
    return ((h >>> 32) * bits) >>> 32;
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
    if (bytes.hasArray()) {
      out.putBytes(bytes.array(), bytes.arrayOffset() + from, (int) (bits / 8));
    } else {
      for (int i = 0; i < bits / 8; i++) {
        out.putByte(bytes.get(from + i));
      }
    }
  }

  /** The filter stored in {@code b[from, from + length)}; it keeps using (not copying) those bytes. */
  public static ChunkFilter read(byte[] b, int from, int length) {
    return read(ByteBuffer.wrap(b), from, length);
  }

  /** The filter stored in {@code b} at {@code [from, from + length)} (absolute positions); it keeps using them. */
  public static ChunkFilter read(ByteBuffer b, int from, int length) {
    if (length < 2) {
      throw new IllegalArgumentException("filter of " + length + " bytes");
    }
    int hashes = b.get(from) & 0xff;
    long n = 0;
    int at = from + 1;
    int end = from + length;
    for (int shift = 0; ; shift += 7) {
      if (at == end || shift > 63) {
        throw new IllegalArgumentException("filter size is not a varint");
      }
      byte x = b.get(at++);
      n |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        break;
      }
    }
    long remaining = end - at;
    if (hashes == 0 || hashes > 32 || n == 0 || n > MAX_WORDS || n * 8 != remaining) {
      throw new IllegalArgumentException("filter of " + n + " words in " + remaining + " bytes");
    }
    return new ChunkFilter(b, at, n, hashes);
  }
}

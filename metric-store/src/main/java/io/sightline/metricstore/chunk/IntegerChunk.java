package io.sightline.metricstore.chunk;

import io.sightline.metricstore.SampleIterator;

/**
 * A chunk for samples whose values are all whole numbers (counters, histogram buckets, most gauges of counts and
 * bytes): Sightline's own encoding, used in blocks, where a chunk is written once. Timestamps are encoded as in
 * {@link XorChunk}; values as integers, each as its difference from the previous value or as the change of that
 * difference, whichever the whole chunk encodes shorter. A counter that grows by a few each scrape costs 1 to 9 bits a
 * value instead of Gorilla's 10 to 20 for the same floats.
 *
 * <pre>
 * ┌──────────────────────┬──────────┬───────┬─────────────┬─────────────┬──────────────────┬──────────┬──────┬─────┬─────┐
 * │ num_samples <uint16> │ mode <1> │ k <1> │ t0 <varint> │ v0 <varint> │ t1 − t0 <uvarint>│ d1 <num> │ dod2 │ d2  │ ... │
 * └──────────────────────┴──────────┴───────┴─────────────┴─────────────┴──────────────────┴──────────┴──────┴─────┴─────┘
 * mode 0: dn = vn − vn−1;  mode 1: dn = (vn − vn−1) − (vn−1 − vn−2), with v−1 = v0 (so d1 = v1 − v0)
 * num:  '0' for 0 │ '10' + k bits, two's complement │ '11' + a zig-zag varint (Go's, bit-aligned) for the rest
 * modes 2 and 3: dn as in modes 0 and 1, packed: a zig-zag varint base follows v0, and each dn is written as exactly
 *       k bits (0 to 32) of dn − base, with no prefix: for counters whose increments spread evenly over a range
 * dodn: the timestamp's change of interval, exactly as in the XOR chunk
 * </pre>
 *
 * The encoder picks the mode and the width k that make the chunk shortest: one short bucket sized to the chunk's own
 * spread of changes and an escape for the outliers, or, when no outlier stretches the range, every change packed in
 * the fewest bits that hold the range.
 *
 * A chunk qualifies when every value is finite, integral, not −0.0 and within ±2^53, so that every value and
 * difference is exact as a long and comes back with the same bits.
 */
public final class IntegerChunk {
  static final int HEADER_BYTES = 4;
  private static final long MAX_EXACT = 1L << 53;
  private static final int MAX_K = 32;

  private IntegerChunk() {}

  /** Whether {@code v} can be stored exactly. */
  public static boolean qualifies(double v) {
    return v == Math.rint(v) && Math.abs(v) <= MAX_EXACT && Double.doubleToRawLongBits(v) != Long.MIN_VALUE;
  }

  /** The encoding of {@code n} samples (1 to 65535, times strictly increasing, every value {@link #qualifies}). */
  public static byte[] encode(long[] t, double[] v, int n) {
    if (n < 1 || n > XorChunk.MAX_SAMPLES) {
      throw new IllegalArgumentException("an integer chunk holds 1 to " + XorChunk.MAX_SAMPLES + " samples, not " + n);
    }
    // The value stream's size for each mode and width, counted before anything is written.
    long best = Long.MAX_VALUE;
    int bestMode = 0;
    int bestK = 1;
    long base = 0;
    for (int mode = 0; mode <= 1; mode++) {
      long[] bits = new long[MAX_K + 1];
      long previous = 0;
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 1; i < n; i++) {
        long d = (long) v[i] - (long) v[i - 1];
        long x = mode == 0 || i == 1 ? d : d - previous;
        previous = d;
        min = Math.min(min, x);
        max = Math.max(max, x);
        int escape = 2 + 8 * uvarintLength(BitWriter.zigZag(x));
        for (int k = 1; k <= MAX_K; k++) {
          bits[k] += x == 0 ? 1 : XorChunk.fits(x, k) ? 2 + k : escape;
        }
      }
      for (int k = 1; k <= MAX_K; k++) {
        if (bits[k] < best) {
          best = bits[k];
          bestMode = mode;
          bestK = k;
        }
      }
      if (n > 1) {
        // Values within ±2^53 keep every difference of differences, and so max − min, far from overflow.
        int width = 64 - Long.numberOfLeadingZeros(max - min);
        long packed = 8L * uvarintLength(BitWriter.zigZag(min)) + (long) width * (n - 1);
        if (width <= MAX_K && packed < best) {
          best = packed;
          bestMode = mode + PACKED;
          bestK = width;
          base = min;
        }
      }
    }
    return encode(t, v, n, bestMode, bestK, base);
  }

  /** Added to mode 0 or 1: the same differences, packed in {@code k} bits each above a base. */
  private static final int PACKED = 2;

  private static int uvarintLength(long x) {
    int n = 1;
    while ((x & ~0x7FL) != 0) {
      x >>>= 7;
      n++;
    }
    return n;
  }

  private static byte[] encode(long[] t, double[] v, int n, int mode, int k, long base) {
    BitWriter out = BitWriter.withZeroBytes(HEADER_BYTES, 16 + n * 2);
    out.putUint16(0, n);
    out.putByte(2, mode);
    out.putByte(3, k);
    out.writeVarint(t[0]);
    out.writeVarint((long) v[0]);
    boolean packed = mode >= PACKED;
    if (packed) {
      out.writeVarint(base);
    }
    long tDelta = 0;
    long vDelta = 0;
    for (int i = 1; i < n; i++) {
      long delta = t[i] - t[i - 1];
      if (i == 1) {
        out.writeUvarint(delta);
      } else {
        XorChunk.writeDeltaOfDelta(out, delta - tDelta);
      }
      tDelta = delta;
      long d = (long) v[i] - (long) v[i - 1];
      long x = mode % PACKED == 0 || i == 1 ? d : d - vDelta;
      if (packed) {
        if (k > 0) {
          out.writeBits(x - base, k);
        }
      } else {
        writeNumber(out, x, k);
      }
      vDelta = d;
    }
    // Not Prometheus' format: no padding byte to keep, just the bits rounded up to a byte.
    return java.util.Arrays.copyOf(out.toByteArray(), (out.bitLength() + 7) / 8);
  }

  private static void writeNumber(BitWriter out, long x, int k) {
    if (x == 0) {
      out.writeBit(false);
    } else if (XorChunk.fits(x, k)) {
      out.writeBits(0b10, 2);
      out.writeBits(x, k);
    } else {
      out.writeBits(0b11, 2);
      out.writeVarint(x);
    }
  }

  /** Decodes a chunk written by {@link #encode}. */
  public static SampleIterator iterator(byte[] bytes) {
    return new Iterator(bytes);
  }

  private static final class Iterator implements SampleIterator {
    private final BitReader in;
    private final int total;
    private final int mode;
    private final int k;
    private long base;
    private int read;
    private long t;
    private long tDelta;
    private long v;
    private long vDelta;

    Iterator(byte[] bytes) {
      if (bytes.length < HEADER_BYTES) {
        throw new IllegalArgumentException("an integer chunk has at least its " + HEADER_BYTES + "-byte header");
      }
      total = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
      mode = bytes[2];
      k = bytes[3];
      if (mode < 0 || mode > 1 + PACKED || k < (mode >= PACKED ? 0 : 1) || k > MAX_K) {
        throw new IllegalArgumentException("corrupt integer chunk header: mode " + mode + ", k " + k);
      }
      in = new BitReader(bytes, HEADER_BYTES);
    }

    @Override
    public boolean next() {
      if (read == total) {
        return false;
      }
      try {
        if (read == 0) {
          t = in.readVarint();
          v = in.readVarint();
          if (mode >= PACKED) {
            base = in.readVarint();
          }
        } else {
          long delta = read == 1 ? in.readUvarint() : tDelta + XorChunk.readDeltaOfDelta(in);
          t += delta;
          tDelta = delta;
          long x = mode >= PACKED ? base + (k == 0 ? 0 : in.readBits(k)) : readNumber();
          long d = mode % PACKED == 0 || read == 1 ? x : vDelta + x;
          v += d;
          vDelta = d;
        }
      } catch (IllegalStateException e) {
        read = total;
        throw new IllegalStateException("corrupt integer chunk: " + e.getMessage(), e);
      }
      read++;
      return true;
    }

    private long readNumber() {
      if (!in.readBit()) {
        return 0;
      }
      return in.readBit() ? in.readVarint() : signed(in.readBits(k), k);
    }

    private static long signed(long raw, int width) {
      if (width > 0 && width < 64 && raw > 1L << (width - 1)) {
        return raw - (1L << width);
      }
      return raw;
    }

    @Override
    public long timestamp() {
      return t;
    }

    @Override
    public double value() {
      return v;
    }
  }
}

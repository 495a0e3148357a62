package io.sightline.metricstore.chunk;

import java.util.Arrays;

/**
 * Prometheus' XOR chunk ({@code tsdb/chunkenc/xor.go}), byte for byte: Facebook Gorilla's delta-of-delta timestamps
 * and XOR-compressed values.
 *
 * <pre>
 * ┌──────────────────┬──────────────┬────────────┬─────────────────┬───────────┬─────────────────────────┐
 * │ samples <2b, BE> │ t0 <varint>  │ v0 <64 bit>│ t1-t0 <uvarint> │ v1 <xor>  │ (dod <1-68 bit>, v <xor>)…│
 * └──────────────────┴──────────────┴────────────┴─────────────────┴───────────┴─────────────────────────┘
 * dod (delta of delta of timestamps):  0 → '0'  │ 14-bit → '10'+14  │ 17-bit → '110'+17  │ 20-bit → '1110'+20
 *                                      else '1111'+64
 * xor (value XOR previous value):      0 → '0'  │ fits the previous leading/trailing-zero window → '10'+bits
 *                                      else '11' + leading <5 bit> + significant length <6 bit, 64 as 0> + bits
 * </pre>
 *
 * Bits are written most significant first. Values are handled as raw IEEE-754 bits, so NaNs (the stale marker among
 * them) come back exactly as written. Not thread-safe; the head synchronizes on the series.
 */
public final class XorChunk {
  /** Header: the sample count, big-endian. */
  private static final int HEADER_BYTES = 2;

  private byte[] buf = new byte[128];
  /** Bits written, including the header. */
  private int bits = HEADER_BYTES * 8;
  private int numSamples;
  private long t;
  private long tDelta;
  private long v;
  private int leading = 0xff;
  private int trailing;

  public int numSamples() {
    return numSamples;
  }

  /** A copy of the encoded chunk. */
  public byte[] bytes() {
    return Arrays.copyOf(buf, (bits + 7) >>> 3);
  }

  /** Encoded size in bytes. */
  public int size() {
    return (bits + 7) >>> 3;
  }

  public void append(long timestamp, double value) {
    if (numSamples == 0xffff) {
      throw new IllegalStateException("a chunk holds at most 65535 samples");
    }
    long vbits = Double.doubleToRawLongBits(value);
    if (numSamples == 0) {
      writeVarint(timestamp);
      writeBits(vbits, 64);
    } else if (numSamples == 1) {
      tDelta = timestamp - t;
      writeUvarint(tDelta);
      writeValue(vbits);
    } else {
      long delta = timestamp - t;
      long dod = delta - tDelta;
      if (dod == 0) {
        writeBit(0);
      } else if (fits(dod, 14)) {
        writeBits(0b10, 2);
        writeBits(dod, 14);
      } else if (fits(dod, 17)) {
        writeBits(0b110, 3);
        writeBits(dod, 17);
      } else if (fits(dod, 20)) {
        writeBits(0b1110, 4);
        writeBits(dod, 20);
      } else {
        writeBits(0b1111, 4);
        writeBits(dod, 64);
      }
      tDelta = delta;
      writeValue(vbits);
    }
    t = timestamp;
    v = vbits;
    numSamples++;
    buf[0] = (byte) (numSamples >>> 8);
    buf[1] = (byte) numSamples;
  }

  /** Whether {@code x} is in Prometheus' range for an n-bit delta: −(2^(n−1)−1) to 2^(n−1). */
  static boolean fits(long x, int nbits) {
    return -((1L << (nbits - 1)) - 1) <= x && x <= 1L << (nbits - 1);
  }

  private void writeValue(long vbits) {
    long delta = vbits ^ v;
    if (delta == 0) {
      writeBit(0);
      return;
    }
    writeBit(1);
    int lead = Long.numberOfLeadingZeros(delta);
    int trail = Long.numberOfTrailingZeros(delta);
    if (lead >= 32) {
      lead = 31; // five bits hold at most 31
    }
    if (leading != 0xff && lead >= leading && trail >= trailing) {
      writeBit(0);
      writeBits(delta >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = lead;
    trailing = trail;
    writeBit(1);
    writeBits(lead, 5);
    int significant = 64 - lead - trail;
    writeBits(significant, 6); // 64 does not fit in six bits and is written as 0
    writeBits(delta >>> trail, significant);
  }

  private void writeVarint(long x) {
    writeUvarint((x << 1) ^ (x >> 63));
  }

  private void writeUvarint(long x) {
    while ((x & ~0x7FL) != 0) {
      writeBits((x & 0x7F) | 0x80, 8);
      x >>>= 7;
    }
    writeBits(x, 8);
  }

  private void writeBit(int bit) {
    ensure(1);
    if (bit != 0) {
      buf[bits >>> 3] |= (byte) (0x80 >>> (bits & 7));
    }
    bits++;
  }

  /** Writes the low {@code n} bits of {@code x}, most significant first. */
  private void writeBits(long x, int n) {
    ensure(n);
    for (int i = n - 1; i >= 0; ) {
      int free = 8 - (bits & 7);
      int take = Math.min(free, i + 1);
      int chunk = (int) ((x >>> (i + 1 - take)) & ((1 << take) - 1));
      buf[bits >>> 3] |= (byte) (chunk << (free - take));
      bits += take;
      i -= take;
    }
  }

  private void ensure(int moreBits) {
    int needed = (bits + moreBits + 7) >>> 3;
    if (needed > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, needed));
    }
  }

  /** Reads an encoded chunk. */
  public static Iterator iterator(byte[] bytes) {
    return new Iterator(bytes);
  }

  /** Walks the samples of an encoded chunk; call {@link #next()} before reading each sample. */
  public static final class Iterator {
    private final byte[] b;
    private final int total;
    private int pos = HEADER_BYTES * 8;
    private int read;
    private long t;
    private long tDelta;
    private long v;
    private int leading;
    private int trailing;

    Iterator(byte[] bytes) {
      this.b = bytes;
      this.total = bytes.length < HEADER_BYTES ? 0 : ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
    }

    public int numSamples() {
      return total;
    }

    public boolean next() {
      if (read >= total) {
        return false;
      }
      if (read == 0) {
        long u = readUvarint();
        t = (u >>> 1) ^ -(u & 1);
        v = readBits(64);
      } else if (read == 1) {
        tDelta = readUvarint();
        t += tDelta;
        readValue();
      } else {
        int prefix = 0;
        while (prefix < 4 && readBit() == 1) {
          prefix++;
        }
        long dod = 0;
        int size = switch (prefix) {
          case 0 -> 0;
          case 1 -> 14;
          case 2 -> 17;
          case 3 -> 20;
          default -> 64;
        };
        if (size > 0) {
          long raw = readBits(size);
          if (size < 64 && raw > (1L << (size - 1))) {
            raw -= 1L << size; // back to a negative number
          }
          dod = raw;
        }
        tDelta += dod;
        t += tDelta;
        readValue();
      }
      read++;
      return true;
    }

    /** Advances to the first sample at or after {@code timestamp}; false if there is none. */
    public boolean seek(long timestamp) {
      if (read > 0 && t >= timestamp) {
        return true;
      }
      while (next()) {
        if (t >= timestamp) {
          return true;
        }
      }
      return false;
    }

    public long timestamp() {
      return t;
    }

    public double value() {
      return Double.longBitsToDouble(v);
    }

    private void readValue() {
      if (readBit() == 0) {
        return;
      }
      if (readBit() == 1) {
        leading = (int) readBits(5);
        int significant = (int) readBits(6);
        if (significant == 0) {
          significant = 64;
        }
        trailing = 64 - leading - significant;
      }
      int significant = 64 - leading - trailing;
      v ^= readBits(significant) << trailing;
    }

    private int readBit() {
      if (pos >= b.length * 8) {
        throw new IllegalStateException("chunk ends early");
      }
      int bit = (b[pos >>> 3] >>> (7 - (pos & 7))) & 1;
      pos++;
      return bit;
    }

    private long readBits(int n) {
      if (pos + n > b.length * 8) {
        throw new IllegalStateException("chunk ends early");
      }
      long x = 0;
      int left = n;
      while (left > 0) {
        int avail = 8 - (pos & 7);
        int take = Math.min(avail, left);
        int byteVal = b[pos >>> 3] & 0xff;
        int chunk = (byteVal >>> (avail - take)) & ((1 << take) - 1);
        x = (x << take) | chunk;
        pos += take;
        left -= take;
      }
      return x;
    }

    private long readUvarint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        long by = readBits(8);
        result |= (by & 0x7F) << shift;
        if ((by & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalStateException("varint too long");
    }
  }
}

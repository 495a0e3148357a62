package io.sightline.metricstore.chunk;

/**
 * An append-only chunk of {@code (timestamp ms, double)} samples in Prometheus' XOR encoding
 * ({@code tsdb/chunkenc/xor.go}, Facebook Gorilla adapted to milliseconds), byte for byte: the bytes of a chunk are the
 * bytes Prometheus' {@code XORChunk.Bytes()} returns after the same appends, and either side decodes the other's.
 *
 * <p>Layout. Bits are written most significant first; only the header and samples 0 and 1 start on a byte boundary.
 *
 * <pre>
 * ┌────────────────────────┬──────────────┬──────────────────┐
 * │ num samples: uint16 BE │ t0: varint   │ v0: 64 raw bits  │       header and sample 0
 * └────────────────────────┴──────────────┴──────────────────┘
 * ┌─────────────────────┬───────────┐
 * │ t1 − t0: uvarint    │ v1: xor   │                                sample 1
 * └─────────────────────┴───────────┘
 * ┌────────────┬───────────┐
 * │ dod        │ vn: xor   │  …                                     each sample n ≥ 2, no alignment
 * └────────────┴───────────┘
 *
 * varint, uvarint: Go's binary.PutVarint (zig-zag) and PutUvarint, 7 bits a byte, low groups first.
 *
 * dod = (tn − tn−1) − (tn−1 − tn−2):
 *   '0'                       dod = 0
 *   '10'   + dod in 14 bits   −8191 ≤ dod ≤ 8192         negative values are two's complement cut to the width;
 *   '110'  + dod in 17 bits   −65535 ≤ dod ≤ 65536       a raw value above 2^(w−1) reads back as raw − 2^w,
 *   '1110' + dod in 20 bits   −524287 ≤ dod ≤ 524288     hence the lopsided ranges
 *   '1111' + dod in 64 bits   anything else
 *
 * xor: x = bits(vn) XOR bits(vn−1) (raw IEEE-754 bits); the window is (L leading, T trailing) zero bits:
 *   '0'                                            x = 0, the value repeats
 *   '10' + (x ≫ T) in 64 − L − T bits              x's set bits fit the current window
 *   '11' + L in 5 bits + S in 6 bits + (x ≫ T) in S bits
 *                                                  a new window: L = min(leading zeros of x, 31), T = trailing
 *                                                  zeros of x, S = 64 − L − T, and S = 64 is written as 0
 *
 * end: the last byte is zero-filled; after a byte-aligned whole-byte write Prometheus' bstream also holds one more,
 *      empty, byte (see BitWriter) and so do we: a one-sample chunk is 13 bytes, not 12.
 * </pre>
 *
 * A new chunk has no window, so its first changed value is always written '11'. The decoder starts with the window
 * (0, 0), and so does an appender that {@link #fromBytes reopens} a chunk in which the value never changed: that is
 * Prometheus' behaviour, and the reason decoders must not assume '11' comes first.
 *
 * <p>Values are handled as raw bits ({@link Double#doubleToRawLongBits}) throughout, so every NaN, the stale marker
 * {@code 0x7ff0000000000002} among them, comes back with its exact bits.
 *
 * <p>Not thread-safe; the head synchronizes on the series.
 */
public final class XorChunk extends BitWriter {
  /** The header: the sample count, a big-endian uint16. */
  static final int HEADER_BYTES = 2;

  /** The count must fit the uint16 header; a chunk refuses the sample after rather than let the count wrap. */
  static final int MAX_SAMPLES = 0xFFFF;

  /**
   * Prometheus' "no window yet" marker for the leading-zero count, which is at most 31 when there is one. Kept as
   * the same value so that the state we reopen with reads like Go's.
   */
  static final int NO_WINDOW = 0xFF;

  /**
   * Half of Prometheus' 128 bytes: a series seen once holds a 13-byte chunk, and every head series holds its open
   * chunk's buffer, so the first allocation is most of what a short-lived series costs. A full 120-sample chunk (160–240
   * bytes at Gorilla's usual 1.3–2 bytes a sample) pays one more doubling than with 128, a copy of 64 bytes.
   */
  private static final int INITIAL_CAPACITY = 64;

  private int numSamples;
  /** The last sample's timestamp and raw value bits. */
  private long t;
  private long vBits;
  /** The last timestamp delta, t(n) − t(n−1); 0 until there are two samples. */
  private long tDelta;
  /** The XOR window; {@link #NO_WINDOW} until the first '11' write. */
  private int leading = NO_WINDOW;
  private int trailing;

  /** An empty chunk. */
  public XorChunk() {
    super(new byte[INITIAL_CAPACITY], HEADER_BYTES, 0);
  }

  private XorChunk(byte[] buf, int length, int free) {
    super(buf, length, free);
  }

  /**
   * Reopens an encoded chunk for further appends, like Prometheus' {@code XORChunk.Appender()}: decodes it to the end
   * to learn the state a continuous appender would have, then continues the bit stream where the last sample ends.
   *
   * <p>Appending to the result gives the bytes Prometheus gives when it reopens the same chunk. That equals never
   * having closed it, except in one case taken over from Prometheus on purpose: if every value so far was the same
   * there is no window to recover, and the appender continues with the window (0, 0) instead of none, so the next
   * changed value is written '10' + 64 bits rather than '11' + a tight window. Both decode the same.
   *
   * <p>{@code bytes} is copied, never modified. Bytes after the last sample's bits beyond the one padding byte a
   * Prometheus chunk may end with are dropped, and unused bits are cleared (Go would OR new bits into them).
   *
   * @throws IllegalArgumentException if {@code bytes} is not a complete XOR chunk
   */
  public static XorChunk fromBytes(byte[] bytes) {
    Iterator it = iterator(bytes);
    try {
      while (it.next()) {
        // Decoding to the end is the only way to learn the state: the format stores none of it.
      }
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("not a complete XOR chunk: " + e.getMessage(), e);
    }
    long usedBits = it.bitPosition();
    int length = bytes.length;
    if ((long) length * 8 - usedBits > 8) {
      // More than Prometheus' one padding byte: not ours to keep.
      length = (int) ((usedBits + 7) >>> 3);
    }
    int free = (int) ((long) length * 8 - usedBits);
    byte[] buf = new byte[Math.max(length, INITIAL_CAPACITY)];
    System.arraycopy(bytes, 0, buf, 0, length);
    if (free > 0) {
      buf[length - 1] &= (byte) (0xFF << free); // for free = 8 this clears the whole padding byte
    }
    XorChunk c = new XorChunk(buf, length, free);
    c.numSamples = it.numSamples();
    if (c.numSamples > 0) {
      c.t = it.t;
      c.vBits = it.vBits;
      c.tDelta = it.tDelta;
      c.leading = it.window[0] >>> 8;
      c.trailing = it.window[0] & 0xFF;
    }
    return c;
  }

  /** Decodes an encoded chunk, such as {@link #bytes()} returns; see {@link Iterator}. */
  public static Iterator iterator(byte[] bytes) {
    return new Iterator(bytes);
  }

  public int numSamples() {
    return numSamples;
  }

  /** A copy of the encoded chunk; later appends do not change it. */
  public byte[] bytes() {
    return toByteArray();
  }

  /** The encoded size in bytes: {@code bytes().length}, without the copy. */
  public int size() {
    return byteLength();
  }

  /**
   * Appends a sample.
   *
   * @throws IllegalArgumentException if {@code timestamp} is not after the last one. Prometheus' chunk does not check
   *     (its head does), but {@link Iterator#seek} and every reader rely on the order, so a chunk refuses to break it.
   * @throws IllegalStateException if the chunk already holds {@value #MAX_SAMPLES} samples
   */
  public void append(long timestamp, double value) {
    if (numSamples == MAX_SAMPLES) {
      throw new IllegalStateException("a chunk holds at most " + MAX_SAMPLES + " samples");
    }
    if (numSamples > 0 && timestamp <= t) {
      throw new IllegalArgumentException("timestamp " + timestamp + " is not after the last one, " + t);
    }
    long bits = Double.doubleToRawLongBits(value);
    long delta = 0; // Go leaves tDelta 0 after the first sample
    if (numSamples == 0) {
      writeVarint(timestamp);
      writeBits(bits, 64);
    } else if (numSamples == 1) {
      // Two's complement wraps like Go's uint64(t - a.t): a gap beyond Long.MAX_VALUE still decodes exactly.
      delta = timestamp - t;
      writeUvarint(delta);
      writeValue(bits);
    } else {
      delta = timestamp - t;
      writeDeltaOfDelta(delta - tDelta);
      writeValue(bits);
    }
    t = timestamp;
    vBits = bits;
    tDelta = delta;
    numSamples++;
    putUint16(0, numSamples);
  }

  /**
   * Whether {@code x} fits the {@code nbits} dod bucket: −(2^(n−1) − 1) to 2^(n−1). Lopsided because the decoder
   * reads a raw value of exactly 2^(n−1) as positive.
   */
  static boolean fits(long x, int nbits) {
    return -((1L << (nbits - 1)) - 1) <= x && x <= 1L << (nbits - 1);
  }

  private void writeDeltaOfDelta(long dod) {
    writeDeltaOfDelta(this, dod);
  }

  /** The timestamp encoding, shared with {@link IntegerChunk}. */
  static void writeDeltaOfDelta(BitWriter out, long dod) {
    // Gorilla's buckets were for seconds; Prometheus widened them for milliseconds. The prefixes are unary, so the
    // common case, a steady scrape interval, costs one bit.
    if (dod == 0) {
      out.writeBit(false);
    } else if (fits(dod, 14)) {
      out.writeBits(0b10, 2);
      out.writeBits(dod, 14);
    } else if (fits(dod, 17)) {
      out.writeBits(0b110, 3);
      out.writeBits(dod, 17);
    } else if (fits(dod, 20)) {
      out.writeBits(0b1110, 4);
      out.writeBits(dod, 20);
    } else {
      out.writeBits(0b1111, 4);
      out.writeBits(dod, 64);
    }
  }

  /**
   * {@link #writeXor} on this chunk's own fields. Written out again rather than called: this is the innermost step of
   * every ingested sample, and packing the window into an int cost 4–7 % of remote-write ingest CPU when measured
   * (bench/remote-write.sh, interleaved runs).
   */
  private void writeValue(long bits) {
    long x = bits ^ vBits;
    if (x == 0) {
      writeBit(false);
      return;
    }
    writeBit(true);
    int newLeading = Long.numberOfLeadingZeros(x);
    int newTrailing = Long.numberOfTrailingZeros(x);
    if (newLeading >= 32) {
      newLeading = 31;
    }
    if (leading != NO_WINDOW && newLeading >= leading && newTrailing >= trailing) {
      writeBit(false);
      writeBits(x >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = newLeading;
    trailing = newTrailing;
    writeBit(true);
    writeBits(newLeading, 5);
    int significant = 64 - newLeading - newTrailing;
    writeBits(significant, 6);
    writeBits(x >>> newTrailing, significant);
  }

  /**
   * Writes {@code x}, a value's bits XOR the previous value's, against the window {@code leading << 8 | trailing}
   * (leading {@link #NO_WINDOW} for none yet) and returns the window in force afterwards. Shared with
   * {@link HistogramChunk}, which keeps a window per bucket.
   */
  static int writeXor(BitWriter out, long x, int window) {
    if (x == 0) {
      out.writeBit(false);
      return window;
    }
    out.writeBit(true);
    int leading = window >>> 8;
    int trailing = window & 0xFF;
    int newLeading = Long.numberOfLeadingZeros(x);
    int newTrailing = Long.numberOfTrailingZeros(x);
    if (newLeading >= 32) {
      newLeading = 31; // the field has five bits; a window with spare leading zeros is still correct, just wider
    }
    if (leading != NO_WINDOW && newLeading >= leading && newTrailing >= trailing) {
      // x fits the current window: skip the 11 bits that would describe a new one.
      out.writeBit(false);
      out.writeBits(x >>> trailing, 64 - leading - trailing);
      return window;
    }
    out.writeBit(true);
    out.writeBits(newLeading, 5);
    int significant = 64 - newLeading - newTrailing;
    // 64 does not fit six bits and is written as 0; 0 itself never occurs, since x = 0 took the '0' branch.
    out.writeBits(significant, 6);
    out.writeBits(x >>> newTrailing, significant);
    return newLeading << 8 | newTrailing;
  }

  /**
   * Reads what {@link #writeXor} wrote: returns {@code bits} XOR the value read, and leaves the window in force in
   * {@code window[slot]}.
   */
  static long readXor(BitReader in, long bits, int[] window, int slot) {
    if (!in.readBit()) {
      return bits; // '0': the value repeats
    }
    if (in.readBit()) {
      // '11': a new window
      int newLeading = (int) in.readBits(5);
      int significant = (int) in.readBits(6);
      if (significant == 0) {
        significant = 64;
      }
      int newTrailing = 64 - newLeading - significant;
      if (newTrailing < 0) {
        // Go would shift by a wrapped uint8 here; a valid encoder never writes L + S > 64.
        throw new IllegalStateException("window of " + newLeading + " leading and " + significant
            + " significant bits exceeds 64");
      }
      window[slot] = newLeading << 8 | newTrailing;
    }
    int leading = window[slot] >>> 8;
    int trailing = window[slot] & 0xFF;
    return bits ^ in.readBits(64 - leading - trailing) << trailing;
  }

  /** Reads what {@link #writeDeltaOfDelta(BitWriter, long)} wrote. */
  static long readDeltaOfDelta(BitReader in) {
    int ones = 0;
    while (ones < 4 && in.readBit()) {
      ones++; // a unary prefix of at most four bits: '0', '10', '110', '1110', '1111'
    }
    int width = switch (ones) {
      case 0 -> 0;
      case 1 -> 14;
      case 2 -> 17;
      case 3 -> 20;
      default -> 64;
    };
    if (width == 0) {
      return 0;
    }
    long raw = in.readBits(width);
    if (width < 64 && raw > 1L << (width - 1)) {
      raw -= 1L << width; // the top half of the field is the negative range
    }
    return raw;
  }

  /**
   * Walks the samples of an encoded chunk, oldest first: call {@link #next()} (or {@link #seek}) before reading the
   * first sample. Reads the array in place, so it must not change while iterated; {@link XorChunk#bytes()} hands out
   * copies for that reason.
   *
   * <p>A truncated or corrupt chunk makes {@code next()} throw {@link IllegalStateException}; the iterator is
   * exhausted after that.
   */
  public static final class Iterator implements io.sightline.metricstore.SampleIterator {
    private final BitReader in;
    private final int total;
    private int read;
    private boolean exhausted;
    private long t;
    private long tDelta;
    private long vBits;
    /** Go's iterator starts with the window (0, 0), not "none"; see the class comment of XorChunk. */
    private final int[] window = new int[1];

    Iterator(byte[] bytes) {
      if (bytes.length < HEADER_BYTES) {
        throw new IllegalArgumentException("an XOR chunk has at least its " + HEADER_BYTES + "-byte header, got "
            + bytes.length + " bytes");
      }
      this.total = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
      this.in = new BitReader(bytes, HEADER_BYTES);
    }

    /** The sample count the header states. */
    public int numSamples() {
      return total;
    }

    /** Moves to the next sample; false, and exhausted, if there is none. */
    @Override
    public boolean next() {
      if (exhausted) {
        return false;
      }
      if (read == total) {
        exhausted = true;
        return false;
      }
      try {
        decodeNext();
      } catch (IllegalStateException e) {
        exhausted = true;
        throw new IllegalStateException(
            "corrupt XOR chunk: sample " + read + " of " + total + ": " + e.getMessage(), e);
      }
      read++;
      return true;
    }

    /**
     * Moves to the first sample with a timestamp at or after {@code target}, or stays on the current sample if it
     * already qualifies (Prometheus' {@code Seek}); never moves back. False, and exhausted, if there is none.
     */
    public boolean seek(long target) {
      if (exhausted) {
        return false;
      }
      while (read == 0 || t < target) {
        if (!next()) {
          return false;
        }
      }
      return true;
    }

    /** The current sample's timestamp. */
    @Override
    public long timestamp() {
      checkOnSample();
      return t;
    }

    /** The current sample's value. */
    @Override
    public double value() {
      checkOnSample();
      return Double.longBitsToDouble(vBits);
    }

    /**
     * The current sample's value as raw IEEE-754 bits, exactly as appended: the way to tell a stale marker from
     * other NaNs without a round trip through {@code double}.
     */
    public long valueBits() {
      checkOnSample();
      return vBits;
    }

    /** Bits consumed from the start of the chunk, header included; where an appender would continue. */
    long bitPosition() {
      return in.bitPosition();
    }

    private void checkOnSample() {
      if (read == 0 || exhausted) {
        throw new IllegalStateException(read == 0 ? "call next() or seek() first" : "the iterator is exhausted");
      }
    }

    private void decodeNext() {
      if (read == 0) {
        t = in.readVarint();
        vBits = in.readBits(64);
        return;
      }
      if (read == 1) {
        tDelta = in.readUvarint();
        t += tDelta;
        readValue();
        return;
      }
      tDelta += readDeltaOfDelta();
      t += tDelta;
      readValue();
    }

    private long readDeltaOfDelta() {
      return XorChunk.readDeltaOfDelta(in);
    }

    private void readValue() {
      vBits = readXor(in, vBits, window, 0);
    }
  }
}

package io.sightline.metricstore.chunk;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Histogram.ResetHint;
import io.sightline.core.model.Histogram.Span;
import io.sightline.metricstore.SampleIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only chunk of native histogram samples: Sightline's own encoding, used by the head and in blocks alike.
 * Timestamps are coded as in {@link XorChunk}; a sample's bucket layout (schema, zero threshold, spans, custom bounds)
 * and reset hint are written only when they differ from the previous sample's; every number (count, zero count, sum,
 * each bucket's count) is XOR-coded against the same number of the previous sample, each with its own window, so a
 * bucket that did not change costs one bit.
 *
 * <pre>
 * ┌──────────────────────┬─────────────┬────────┬──────────┬──────────────────────────────────────────┐
 * │ num_samples <uint16> │ t0 <varint> │ '1'    │ header   │ values                                   │  sample 0
 * └──────────────────────┴─────────────┴────────┴──────────┴──────────────────────────────────────────┘
 * ┌───────────────────────────────┬────────────────────────┬──────────────────────────────────────────┐
 * │ t1 − t0 <uvarint>, then dod   │ '0' │ '1' + header     │ values                                   │  sample n ≥ 1
 * └───────────────────────────────┴────────────────────────┴──────────────────────────────────────────┘
 * header: reset hint <2 bits: 0 unknown, 1 yes, 2 no, 3 gauge> │ schema <varint> │ zero threshold <64 bits> │
 *         positive spans │ negative spans │ custom bounds <uvarint n, n × 64 bits>
 * spans:  <uvarint n> │ n × ( offset <varint> │ length <uvarint> )
 * values: count │ zero count │ sum │ positive bucket counts │ negative bucket counts, each xor-coded as an XOR chunk
 *         value against the previous sample's same number; after a new header, bucket counts start afresh (against
 *         0, no window), while count, zero count and sum go on
 * varints are Go's (zig-zag for signed), written bit-aligned; the last byte is zero-filled
 * </pre>
 *
 * Not thread-safe; the head synchronizes on the series.
 */
public final class HistogramChunk {
  private static final int HEADER_BYTES = 2;
  private static final int FIXED = 3; // count, zero count, sum
  private static final int INITIAL_CAPACITY = 256;

  private final BitWriter out = BitWriter.withZeroBytes(HEADER_BYTES, INITIAL_CAPACITY);
  private int numSamples;
  private long t;
  private long tDelta;
  private Histogram last;
  /** The previous sample's numbers as raw bits, and each number's XOR window, by slot. */
  private long[] bits = new long[FIXED];
  private int[] windows = {NO_WINDOW, NO_WINDOW, NO_WINDOW};

  private static final int NO_WINDOW = XorChunk.NO_WINDOW << 8;

  public int numSamples() {
    return numSamples;
  }

  /** The encoded size in bytes. */
  public int size() {
    return out.byteLength();
  }

  /** A copy of the encoded chunk; later appends do not change it. */
  public byte[] bytes() {
    return out.toByteArray();
  }

  /** The newest sample, or null if there is none. */
  public Histogram last() {
    return last;
  }

  /**
   * Appends a sample.
   *
   * @throws IllegalArgumentException if {@code timestamp} is not after the last one
   * @throws IllegalStateException if the chunk already holds 65535 samples
   */
  public void append(long timestamp, Histogram h) {
    if (numSamples == XorChunk.MAX_SAMPLES) {
      throw new IllegalStateException("a chunk holds at most " + XorChunk.MAX_SAMPLES + " samples");
    }
    if (numSamples > 0 && timestamp <= t) {
      throw new IllegalArgumentException("timestamp " + timestamp + " is not after the last one, " + t);
    }
    long delta = 0;
    if (numSamples == 0) {
      out.writeVarint(timestamp);
    } else if (numSamples == 1) {
      delta = timestamp - t;
      out.writeUvarint(delta);
    } else {
      delta = timestamp - t;
      XorChunk.writeDeltaOfDelta(out, delta - tDelta);
    }
    boolean newHeader = last == null || last.resetHint() != h.resetHint() || !last.sameLayout(h);
    out.writeBit(newHeader);
    if (newHeader) {
      writeHeader(h);
      int slots = FIXED + h.positiveBucketCount() + h.negativeBucketCount();
      long[] b = new long[slots];
      int[] w = new int[slots];
      System.arraycopy(bits, 0, b, 0, FIXED);
      System.arraycopy(windows, 0, w, 0, FIXED);
      java.util.Arrays.fill(w, FIXED, slots, NO_WINDOW);
      bits = b;
      windows = w;
    }
    int slot = 0;
    writeNumber(slot++, h.count());
    writeNumber(slot++, h.zeroCount());
    writeNumber(slot++, h.sum());
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      writeNumber(slot++, h.positiveCount(i));
    }
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      writeNumber(slot++, h.negativeCount(i));
    }
    t = timestamp;
    tDelta = delta;
    last = h;
    numSamples++;
    out.putUint16(0, numSamples);
  }

  private void writeNumber(int slot, double v) {
    long b = Double.doubleToRawLongBits(v);
    windows[slot] = XorChunk.writeXor(out, b ^ bits[slot], windows[slot]);
    bits[slot] = b;
  }

  private void writeHeader(Histogram h) {
    out.writeBits(h.resetHint().ordinal(), 2);
    out.writeVarint(h.schema());
    out.writeBits(Double.doubleToRawLongBits(h.zeroThreshold()), 64);
    writeSpans(h.positiveSpans());
    writeSpans(h.negativeSpans());
    out.writeUvarint(h.customValueCount());
    for (int i = 0; i < h.customValueCount(); i++) {
      out.writeBits(Double.doubleToRawLongBits(h.customValue(i)), 64);
    }
  }

  private void writeSpans(List<Span> spans) {
    out.writeUvarint(spans.size());
    for (Span s : spans) {
      out.writeVarint(s.offset());
      out.writeUvarint(s.length());
    }
  }

  /** Decodes an encoded chunk, such as {@link #bytes()} returns. */
  public static SampleIterator iterator(byte[] bytes) {
    return new Iterator(bytes);
  }

  /**
   * Walks the samples of an encoded chunk; a corrupt one makes {@code next()} throw {@link IllegalStateException}.
   * A float read of a histogram sample is NaN.
   */
  private static final class Iterator implements SampleIterator {
    private final BitReader in;
    private final int total;
    private int read;
    private long t;
    private long tDelta;
    private Histogram current;
    /** The layout in force: what a sample without a header of its own has. */
    private ResetHint hint;
    private int schema;
    private double zeroThreshold;
    private List<Span> positiveSpans;
    private List<Span> negativeSpans;
    private double[] customValues;
    private int positiveCount;
    private int negativeCount;
    private long[] bits = new long[FIXED];
    private int[] windows = new int[FIXED];

    Iterator(byte[] bytes) {
      if (bytes.length < HEADER_BYTES) {
        throw new IllegalArgumentException("a histogram chunk has at least its 2-byte header, got " + bytes.length);
      }
      total = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
      in = new BitReader(bytes, HEADER_BYTES);
    }

    @Override
    public boolean next() {
      if (read >= total) {
        return false;
      }
      try {
        decodeNext();
      } catch (IllegalStateException | IllegalArgumentException e) {
        read = total;
        throw new IllegalStateException("corrupt histogram chunk: sample " + read + ": " + e.getMessage(), e);
      }
      read++;
      return true;
    }

    private void decodeNext() {
      if (read == 0) {
        t = in.readVarint();
      } else if (read == 1) {
        tDelta = in.readUvarint();
        t += tDelta;
      } else {
        tDelta += XorChunk.readDeltaOfDelta(in);
        t += tDelta;
      }
      if (in.readBit()) {
        readHeader();
      } else if (read == 0) {
        throw new IllegalStateException("the first sample has no header");
      }
      bits[0] = XorChunk.readXor(in, bits[0], windows, 0);
      bits[1] = XorChunk.readXor(in, bits[1], windows, 1);
      bits[2] = XorChunk.readXor(in, bits[2], windows, 2);
      double[] positive = new double[positiveCount];
      for (int i = 0; i < positiveCount; i++) {
        bits[FIXED + i] = XorChunk.readXor(in, bits[FIXED + i], windows, FIXED + i);
        positive[i] = Double.longBitsToDouble(bits[FIXED + i]);
      }
      double[] negative = new double[negativeCount];
      for (int i = 0; i < negativeCount; i++) {
        int slot = FIXED + positiveCount + i;
        bits[slot] = XorChunk.readXor(in, bits[slot], windows, slot);
        negative[i] = Double.longBitsToDouble(bits[slot]);
      }
      current = new Histogram(hint, schema, zeroThreshold, Double.longBitsToDouble(bits[1]),
          Double.longBitsToDouble(bits[0]), Double.longBitsToDouble(bits[2]), positiveSpans, positive, negativeSpans,
          negative, customValues);
    }

    private void readHeader() {
      hint = ResetHint.values()[(int) in.readBits(2)];
      schema = Math.toIntExact(in.readVarint());
      zeroThreshold = Double.longBitsToDouble(in.readBits(64));
      positiveSpans = readSpans();
      negativeSpans = readSpans();
      int n = count(in.readUvarint());
      customValues = new double[n];
      for (int i = 0; i < n; i++) {
        customValues[i] = Double.longBitsToDouble(in.readBits(64));
      }
      positiveCount = covered(positiveSpans);
      negativeCount = covered(negativeSpans);
      int slots = FIXED + positiveCount + negativeCount;
      long[] b = new long[slots];
      int[] w = new int[slots];
      System.arraycopy(bits, 0, b, 0, FIXED);
      System.arraycopy(windows, 0, w, 0, FIXED);
      bits = b;
      windows = w;
    }

    private List<Span> readSpans() {
      int n = count(in.readUvarint());
      List<Span> spans = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        spans.add(new Span(Math.toIntExact(in.readVarint()), count(in.readUvarint())));
      }
      return spans;
    }

    /** A length read from the chunk; bounded so that a corrupt one cannot make us allocate gigabytes. */
    private static int count(long n) {
      if (n < 0 || n > 1 << 16) {
        throw new IllegalStateException("implausible count " + n);
      }
      return (int) n;
    }

    private static int covered(List<Span> spans) {
      long n = 0;
      for (Span s : spans) {
        n += s.length();
      }
      return count(n);
    }

    @Override
    public long timestamp() {
      return t;
    }

    @Override
    public double value() {
      return Double.NaN;
    }

    @Override
    public Histogram histogram() {
      return current;
    }
  }
}

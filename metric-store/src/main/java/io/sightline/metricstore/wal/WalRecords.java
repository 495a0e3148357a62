package io.sightline.metricstore.wal;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;

/**
 * Encodes and decodes the metric store's WAL records.
 *
 * <pre>
 * series:  type=1 │ count uvarint │ ( ref uvarint │ n uvarint │ (name string │ value string) × n ) × count
 * samples: type=2 │ count uvarint │ base ref uvarint │ base t varint │
 *          ( ref Δ varint │ t Δ varint │ value 8 bytes BE, raw IEEE-754 bits ) × count
 * metadata: type=4 │ count uvarint │ ( name string │ type string │ help string │ unit string ) × count
 * tombstones: type=5 │ count uvarint │ ( ref uvarint │ minT varint │ maxT varint ) × count
 * exemplars: type=3 │ count uvarint │
 *          ( ref uvarint │ t varint │ value 8 bytes BE │ n uvarint │ (name string │ value string) × n ) × count
 * histograms: type=6 │ count uvarint │ ( ref uvarint │ t varint │ histogram ) × count
 *   histogram: reset hint byte (0 unknown, 1 yes, 2 no, 3 gauge) │ schema varint │ zero threshold │ zero count │
 *              count │ sum (each 8 bytes BE, raw IEEE-754 bits) │ positive spans │ positive counts │
 *              negative spans │ negative counts │ custom bounds
 *   spans: n uvarint │ ( offset varint │ length uvarint ) × n      counts, bounds: n uvarint │ 8 bytes BE × n
 * </pre>
 *
 * Within a commit, float samples and histograms are logged in the order they were appended, a new record at each
 * switch between the two: a series that changes kind must replay in its own order.
 *
 * Samples are deltas from the first sample of the record: a batch from one scrape or one remote-write request has
 * nearby refs and timestamps, so most deltas take one or two bytes.
 */
public final class WalRecords {
  public static final byte SERIES = 1;
  public static final byte SAMPLES = 2;
  public static final byte EXEMPLARS = 3;
  public static final byte METADATA = 4;
  public static final byte TOMBSTONES = 5;
  public static final byte HISTOGRAMS = 6;

  private WalRecords() {}

  /** Receives decoded records. */
  public interface Handler {
    void series(int ref, Labels labels);

    void sample(int ref, long timestampMs, double value);

    void exemplar(int ref, Labels labels, long timestampMs, double value);

    void metadata(String name, String type, String help, String unit);

    /** The samples of series {@code ref} in {@code [minT, maxT]} were deleted. */
    default void tombstone(int ref, long minT, long maxT) {}

    void histogram(int ref, long timestampMs, Histogram histogram);
  }

  /** Entries {@code from} to {@code to − 1} of the arrays. */
  public static byte[] histograms(int[] refs, long[] timestamps, Histogram[] histograms, int from, int to) {
    EncodeBuffer b = new EncodeBuffer(64 * (to - from) + 8);
    b.putByte(HISTOGRAMS).putUvarint(to - from);
    for (int i = from; i < to; i++) {
      Histogram h = histograms[i];
      b.putUvarint(refs[i]).putVarint(timestamps[i]).putByte(h.resetHint().ordinal()).putVarint(h.schema())
          .putLongBE(Double.doubleToRawLongBits(h.zeroThreshold()))
          .putLongBE(Double.doubleToRawLongBits(h.zeroCount()))
          .putLongBE(Double.doubleToRawLongBits(h.count()))
          .putLongBE(Double.doubleToRawLongBits(h.sum()));
      putSpans(b, h.positiveSpans());
      b.putUvarint(h.positiveBucketCount());
      for (int j = 0; j < h.positiveBucketCount(); j++) {
        b.putLongBE(Double.doubleToRawLongBits(h.positiveCount(j)));
      }
      putSpans(b, h.negativeSpans());
      b.putUvarint(h.negativeBucketCount());
      for (int j = 0; j < h.negativeBucketCount(); j++) {
        b.putLongBE(Double.doubleToRawLongBits(h.negativeCount(j)));
      }
      b.putUvarint(h.customValueCount());
      for (int j = 0; j < h.customValueCount(); j++) {
        b.putLongBE(Double.doubleToRawLongBits(h.customValue(j)));
      }
    }
    return b.toByteArray();
  }

  private static void putSpans(EncodeBuffer b, java.util.List<Histogram.Span> spans) {
    b.putUvarint(spans.size());
    for (Histogram.Span s : spans) {
      b.putVarint(s.offset()).putUvarint(s.length());
    }
  }

  private static Histogram getHistogram(DecodeBuffer d) {
    Histogram.ResetHint hint = Histogram.ResetHint.values()[d.getByte() & 3];
    int schema = (int) d.getVarint();
    double zeroThreshold = Double.longBitsToDouble(d.getLongBE());
    double zeroCount = Double.longBitsToDouble(d.getLongBE());
    double count = Double.longBitsToDouble(d.getLongBE());
    double sum = Double.longBitsToDouble(d.getLongBE());
    java.util.List<Histogram.Span> positiveSpans = getSpans(d);
    double[] positive = getDoubles(d);
    java.util.List<Histogram.Span> negativeSpans = getSpans(d);
    double[] negative = getDoubles(d);
    double[] custom = getDoubles(d);
    return new Histogram(hint, schema, zeroThreshold, zeroCount, count, sum, positiveSpans, positive, negativeSpans,
        negative, custom);
  }

  private static java.util.List<Histogram.Span> getSpans(DecodeBuffer d) {
    int n = length(d);
    java.util.List<Histogram.Span> spans = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      spans.add(new Histogram.Span((int) d.getVarint(), (int) d.getUvarint()));
    }
    return spans;
  }

  private static double[] getDoubles(DecodeBuffer d) {
    double[] out = new double[length(d)];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.longBitsToDouble(d.getLongBE());
    }
    return out;
  }

  /** A count read from a record, no larger than what the rest of the record could hold. */
  private static int length(DecodeBuffer d) {
    long n = d.getUvarint();
    if (n < 0 || n > d.remaining()) {
      throw new IllegalArgumentException("histogram record claims " + n + " entries");
    }
    return (int) n;
  }

  public static byte[] tombstones(int[] refs, long[] minTs, long[] maxTs, int count) {
    EncodeBuffer b = new EncodeBuffer(16 * count + 8);
    b.putByte(TOMBSTONES).putUvarint(count);
    for (int i = 0; i < count; i++) {
      b.putUvarint(refs[i]).putVarint(minTs[i]).putVarint(maxTs[i]);
    }
    return b.toByteArray();
  }

  public static byte[] metadata(java.util.Map<String, String[]> byName) {
    EncodeBuffer b = new EncodeBuffer(64 * byName.size());
    b.putByte(METADATA).putUvarint(byName.size());
    byName.forEach((name, m) -> b.putString(name).putString(m[0]).putString(m[1]).putString(m[2]));
    return b.toByteArray();
  }

  public static byte[] exemplars(int[] refs, Labels[] labels, long[] timestamps, double[] values, int count) {
    EncodeBuffer b = new EncodeBuffer(64 * count);
    b.putByte(EXEMPLARS).putUvarint(count);
    for (int i = 0; i < count; i++) {
      b.putUvarint(refs[i]).putVarint(timestamps[i]).putLongBE(Double.doubleToRawLongBits(values[i]))
          .putUvarint(labels[i].size());
      for (int j = 0; j < labels[i].size(); j++) {
        b.putString(labels[i].name(j)).putString(labels[i].value(j));
      }
    }
    return b.toByteArray();
  }

  public static byte[] series(int[] refs, Labels[] labels, int count) {
    EncodeBuffer b = new EncodeBuffer(64 * count);
    b.putByte(SERIES).putUvarint(count);
    for (int i = 0; i < count; i++) {
      b.putUvarint(refs[i]).putUvarint(labels[i].size());
      for (int j = 0; j < labels[i].size(); j++) {
        b.putString(labels[i].name(j)).putString(labels[i].value(j));
      }
    }
    return b.toByteArray();
  }

  public static byte[] samples(int[] refs, long[] timestamps, double[] values, int count) {
    EncodeBuffer b = new EncodeBuffer(16 + 12 * count);
    b.putByte(SAMPLES).putUvarint(count);
    if (count == 0) {
      return b.toByteArray();
    }
    b.putUvarint(refs[0]).putVarint(timestamps[0]);
    for (int i = 0; i < count; i++) {
      b.putVarint((long) refs[i] - refs[0]).putVarint(timestamps[i] - timestamps[0])
          .putLongBE(Double.doubleToRawLongBits(values[i]));
    }
    return b.toByteArray();
  }

  /**
   * Decodes one record.
   *
   * @throws IllegalArgumentException when the record does not parse (the WAL's checksums make this a bug, not
   *     damage)
   */
  public static void decode(byte[] record, Handler handler) {
    DecodeBuffer d = new DecodeBuffer(record);
    int type = d.getByte();
    int count = (int) d.getUvarint();
    switch (type) {
      case SERIES -> {
        for (int i = 0; i < count; i++) {
          int ref = (int) d.getUvarint();
          int n = (int) d.getUvarint();
          String[] pairs = new String[2 * n];
          for (int j = 0; j < 2 * n; j++) {
            pairs[j] = d.getString();
          }
          handler.series(ref, Labels.of(pairs));
        }
      }
      case SAMPLES -> {
        if (count == 0) {
          return;
        }
        long baseRef = d.getUvarint();
        long baseT = d.getVarint();
        for (int i = 0; i < count; i++) {
          int ref = (int) (baseRef + d.getVarint());
          long t = baseT + d.getVarint();
          handler.sample(ref, t, Double.longBitsToDouble(d.getLongBE()));
        }
      }
      case EXEMPLARS -> {
        for (int i = 0; i < count; i++) {
          int ref = (int) d.getUvarint();
          long t = d.getVarint();
          double v = Double.longBitsToDouble(d.getLongBE());
          int n = (int) d.getUvarint();
          String[] pairs = new String[2 * n];
          for (int j = 0; j < 2 * n; j++) {
            pairs[j] = d.getString();
          }
          handler.exemplar(ref, Labels.of(pairs), t, v);
        }
      }
      case METADATA -> {
        for (int i = 0; i < count; i++) {
          handler.metadata(d.getString(), d.getString(), d.getString(), d.getString());
        }
      }
      case TOMBSTONES -> {
        for (int i = 0; i < count; i++) {
          handler.tombstone((int) d.getUvarint(), d.getVarint(), d.getVarint());
        }
      }
      case HISTOGRAMS -> {
        for (int i = 0; i < count; i++) {
          int ref = (int) d.getUvarint();
          long t = d.getVarint();
          handler.histogram(ref, t, getHistogram(d));
        }
      }
      default -> throw new IllegalArgumentException("unknown WAL record type " + type);
    }
  }
}

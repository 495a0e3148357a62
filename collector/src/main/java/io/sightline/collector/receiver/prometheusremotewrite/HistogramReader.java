package io.sightline.collector.receiver.prometheusremotewrite;

import static com.google.protobuf.WireFormat.WIRETYPE_FIXED64;
import static com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED;
import static com.google.protobuf.WireFormat.WIRETYPE_VARINT;

import com.google.protobuf.CodedInputStream;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.DecodedHistogram;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a native histogram sample; the message is the same in remote write 1.0 and 2.0 (2.0's
 * {@code start_timestamp = 17} is not used).
 *
 * <pre>
 * Histogram  { oneof count { uint64 count_int = 1; double count_float = 2; }  double sum = 3;  sint32 schema = 4;
 *              double zero_threshold = 5;  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
 *              repeated BucketSpan negative_spans = 8;  repeated sint64 negative_deltas = 9;
 *              repeated double negative_counts = 10;   repeated BucketSpan positive_spans = 11;
 *              repeated sint64 positive_deltas = 12;   repeated double positive_counts = 13;
 *              ResetHint reset_hint = 14;  int64 timestamp = 15;  repeated double custom_values = 16; }
 * BucketSpan { sint32 offset = 1; uint32 length = 2; }
 * ResetHint  UNKNOWN = 0, YES = 1, NO = 2, GAUGE = 3
 * </pre>
 *
 * As in Prometheus, the {@code count} oneof decides the form: {@code count_float} makes a float histogram, read from
 * the {@code *_counts} and {@code zero_count_float} fields; otherwise the integer form is read from the
 * {@code *_deltas} and {@code zero_count_int} fields. The fields of the other form are ignored.
 *
 * <p>Fields are matched on field number and wire type together, as generated protobuf code does: a field with an
 * unexpected wire type is skipped as unknown rather than misread. Repeated scalars are taken packed or not.
 */
final class HistogramReader {
  private static final int COUNT_INT = tag(1, WIRETYPE_VARINT);
  private static final int COUNT_FLOAT = tag(2, WIRETYPE_FIXED64);
  private static final int SUM = tag(3, WIRETYPE_FIXED64);
  private static final int SCHEMA = tag(4, WIRETYPE_VARINT);
  private static final int ZERO_THRESHOLD = tag(5, WIRETYPE_FIXED64);
  private static final int ZERO_COUNT_INT = tag(6, WIRETYPE_VARINT);
  private static final int ZERO_COUNT_FLOAT = tag(7, WIRETYPE_FIXED64);
  private static final int RESET_HINT = tag(14, WIRETYPE_VARINT);
  private static final int TIMESTAMP = tag(15, WIRETYPE_VARINT);
  private static final int NEGATIVE_SPANS = 8;
  private static final int NEGATIVE_DELTAS = 9;
  private static final int NEGATIVE_COUNTS = 10;
  private static final int POSITIVE_SPANS = 11;
  private static final int POSITIVE_DELTAS = 12;
  private static final int POSITIVE_COUNTS = 13;
  private static final int CUSTOM_VALUES = 16;

  private HistogramReader() {}

  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  /** Reads one length-delimited {@code Histogram} at the stream's position. */
  static DecodedHistogram read(CodedInputStream in) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    boolean floatForm = false;
    long countInt = 0;
    double countFloat = 0;
    long zeroCountInt = 0;
    double zeroCountFloat = 0;
    double sum = 0;
    int schema = 0;
    double zeroThreshold = 0;
    int resetHint = 0;
    long timestamp = 0;
    List<Histogram.Span> negativeSpans = new ArrayList<>();
    List<Histogram.Span> positiveSpans = new ArrayList<>();
    Longs negativeDeltas = new Longs();
    Longs positiveDeltas = new Longs();
    Doubles negativeCounts = new Doubles();
    Doubles positiveCounts = new Doubles();
    Doubles customValues = new Doubles();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == COUNT_INT) {
        countInt = in.readUInt64();
        floatForm = false;
      } else if (tag == COUNT_FLOAT) {
        countFloat = in.readDouble();
        floatForm = true;
      } else if (tag == SUM) {
        sum = in.readDouble();
      } else if (tag == SCHEMA) {
        schema = in.readSInt32();
      } else if (tag == ZERO_THRESHOLD) {
        zeroThreshold = in.readDouble();
      } else if (tag == ZERO_COUNT_INT) {
        zeroCountInt = in.readUInt64();
      } else if (tag == ZERO_COUNT_FLOAT) {
        zeroCountFloat = in.readDouble();
      } else if (tag == RESET_HINT) {
        resetHint = in.readEnum();
      } else if (tag == TIMESTAMP) {
        timestamp = in.readInt64();
      } else {
        int wireType = tag & 7;
        switch (tag >>> 3) {
          case NEGATIVE_SPANS -> readSpan(in, tag, negativeSpans);
          case POSITIVE_SPANS -> readSpan(in, tag, positiveSpans);
          case NEGATIVE_DELTAS -> negativeDeltas.read(in, tag, wireType);
          case POSITIVE_DELTAS -> positiveDeltas.read(in, tag, wireType);
          case NEGATIVE_COUNTS -> negativeCounts.read(in, tag, wireType);
          case POSITIVE_COUNTS -> positiveCounts.read(in, tag, wireType);
          case CUSTOM_VALUES -> customValues.read(in, tag, wireType);
          default -> in.skipField(tag);
        }
      }
    }
    in.popLimit(limit);
    if (StaleMarker.is(sum)) {
      // A stale marker's buckets mean nothing; the store knows the marker by its sum.
      return new DecodedHistogram(timestamp, Histogram.staleMarker(), false);
    }
    Histogram h = floatForm
        ? new Histogram(hint(resetHint), schema, zeroThreshold, zeroCountFloat, countFloat, sum, positiveSpans,
            positiveCounts.toArray(), negativeSpans, negativeCounts.toArray(), customValues.toArray())
        : new Histogram(hint(resetHint), schema, zeroThreshold, unsigned(zeroCountInt), unsigned(countInt), sum,
            positiveSpans, Histogram.countsFromDeltas(positiveDeltas.toArray()), negativeSpans,
            Histogram.countsFromDeltas(negativeDeltas.toArray()), customValues.toArray());
    return new DecodedHistogram(timestamp, h, !floatForm);
  }

  /**
   * Refuses the series' histograms if one is not a valid native histogram, with Prometheus' reason and the series, as
   * Prometheus' receiver words it: {@code <reason> for series <labels>}. The integer form is held to Prometheus'
   * stricter rule for it: its count must match its buckets.
   */
  static void validate(List<DecodedHistogram> histograms, Labels series) throws RemoteWriteException {
    for (int i = 0; i < histograms.size(); i++) { // indexed: no iterator for the usual empty list
      DecodedHistogram h = histograms.get(i);
      String invalid = h.histogram().invalidReason(h.integerForm());
      if (invalid != null) {
        throw new RemoteWriteException(invalid + " for series " + series + " at timestamp " + h.timestampMs());
      }
    }
  }

  private static Histogram.ResetHint hint(int value) {
    return switch (value) {
      case 1 -> Histogram.ResetHint.YES;
      case 2 -> Histogram.ResetHint.NO;
      case 3 -> Histogram.ResetHint.GAUGE;
      default -> Histogram.ResetHint.UNKNOWN; // 0, and values a newer sender may add
    };
  }

  /** A uint64 count as Go's {@code float64(x)} gives it: rounded to the nearest double. */
  private static double unsigned(long v) {
    return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
  }

  private static void readSpan(CodedInputStream in, int tag, List<Histogram.Span> spans) throws IOException {
    if ((tag & 7) != WIRETYPE_LENGTH_DELIMITED) {
      in.skipField(tag);
      return;
    }
    int limit = in.pushLimit(in.readRawVarint32());
    int offset = 0;
    int length = 0;
    while (!in.isAtEnd()) {
      int t = in.readTag();
      if (t == tag(1, WIRETYPE_VARINT)) {
        offset = in.readSInt32();
      } else if (t == tag(2, WIRETYPE_VARINT)) {
        length = in.readUInt32();
      } else {
        in.skipField(t);
      }
    }
    in.popLimit(limit);
    spans.add(new Histogram.Span(offset, length));
  }

  /** A growing {@code repeated sint64}. */
  private static final class Longs {
    private long[] values = new long[8];
    private int size;

    void read(CodedInputStream in, int tag, int wireType) throws IOException {
      if (wireType == WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (!in.isAtEnd()) {
          add(in.readSInt64());
        }
        in.popLimit(limit);
      } else if (wireType == WIRETYPE_VARINT) {
        add(in.readSInt64());
      } else {
        in.skipField(tag);
      }
    }

    private void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** A growing {@code repeated double}. */
  private static final class Doubles {
    private double[] values = new double[8];
    private int size;

    void read(CodedInputStream in, int tag, int wireType) throws IOException {
      if (wireType == WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (!in.isAtEnd()) {
          add(in.readDouble());
        }
        in.popLimit(limit);
      } else if (wireType == WIRETYPE_FIXED64) {
        add(in.readDouble());
      } else {
        in.skipField(tag);
      }
    }

    private void add(double v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}

package io.sightline.collector.receiver.prometheusremotewrite;

import static io.sightline.collector.receiver.prometheusremotewrite.HistogramMessage.v1Request;
import static io.sightline.collector.receiver.prometheusremotewrite.HistogramMessage.v2Request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.DecodedHistogram;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.MetadataConsumer;
import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder.Summary;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Histogram.ResetHint;
import io.sightline.core.model.Histogram.Span;
import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native histograms in both remote-write versions: both forms, custom buckets, hints, and what is refused. */
class RemoteWriteHistogramsTest {
  private static final String[] SERIES = {"__name__", "lat", "job", "a"};

  private record Decoded(Labels labels, List<Long> sampleTimes, List<DecodedHistogram> histograms, Summary summary) {}

  private static Decoded v1(byte[] request) throws RemoteWriteException {
    List<Decoded> seen = new ArrayList<>();
    Summary summary = new RemoteWriteDecoder(RemoteWriteLimits.defaults(), new LabelsCache(64)).decode(request,
        (series, ts, vs, n, histograms, exemplars) -> {
          List<Long> times = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            times.add(ts[i]);
          }
          seen.add(new Decoded(series.labels(), times, List.copyOf(histograms), null));
        });
    Decoded d = seen.getFirst();
    return new Decoded(d.labels(), d.sampleTimes(), d.histograms(), summary);
  }

  private static Decoded v2(byte[] request) throws RemoteWriteException {
    List<Decoded> seen = new ArrayList<>();
    Summary summary = new RemoteWrite2Decoder(RemoteWriteLimits.defaults()).decode(request,
        (series, ts, vs, n, histograms, exemplars) -> seen.add(new Decoded(series.labels(), List.of(),
            List.copyOf(histograms), null)), MetadataConsumer.ignore());
    Decoded d = seen.getFirst();
    return new Decoded(d.labels(), d.sampleTimes(), d.histograms(), summary);
  }

  private static Histogram only(Decoded d) {
    assertThat(d.histograms()).hasSize(1);
    return d.histograms().getFirst().histogram();
  }

  @Test
  void theIntegerFormIsReadFromDeltasIntoAbsoluteCounts() throws Exception {
    byte[] h = new HistogramMessage().countInt(9).sum(18.4).schema(1).zeroThreshold(0.001).zeroCountInt(2)
        .negativeSpans(0, 1).negativeDeltas(2).positiveSpans(0, 2, 1, 2).positiveDeltas(1, 1, -1, 0).resetHint(2)
        .timestamp(1000).bytes();
    Decoded d = v1(v1Request(SERIES, new double[] {500, 1.5}, h));
    assertThat(d.labels()).isEqualTo(Labels.of(SERIES));
    assertThat(d.sampleTimes()).as("float samples of the same series").containsExactly(500L);
    assertThat(d.histograms().getFirst().timestampMs()).isEqualTo(1000);
    assertThat(only(d)).isEqualTo(new Histogram(ResetHint.NO, 1, 0.001, 2, 9, 18.4,
        List.of(new Span(0, 2), new Span(1, 2)), new double[] {1, 2, 1, 1}, List.of(new Span(0, 1)),
        new double[] {2}, null));
    assertThat(d.summary().samples()).isEqualTo(1);
    assertThat(d.summary().histograms()).isEqualTo(1);

    Decoded same = v2(v2Request(SERIES, h));
    assertThat(only(same)).as("the same message in 2.0").isEqualTo(only(d));
    assertThat(same.summary().histograms()).isEqualTo(1);
  }

  @Test
  void theFloatFormIsReadFromAbsoluteCounts() throws Exception {
    byte[] h = new HistogramMessage().countFloat(3.5).sum(1.25).schema(-2).zeroThreshold(1e-128)
        .zeroCountFloat(0.5).positiveSpans(-1, 2).positiveCounts(1, 2).resetHint(3).timestamp(2000).bytes();
    Histogram expected = new Histogram(ResetHint.GAUGE, -2, 1e-128, 0.5, 3.5, 1.25, List.of(new Span(-1, 2)),
        new double[] {1, 2}, List.of(), null, null);
    assertThat(only(v2(v2Request(SERIES, h)))).isEqualTo(expected);
    assertThat(only(v1(v1Request(SERIES, new double[0], h)))).isEqualTo(expected);
  }

  @Test
  void theCountFieldDecidesTheFormAndTheOtherFormsFieldsAreIgnored() throws Exception {
    byte[] integer = new HistogramMessage().countInt(3).positiveSpans(0, 1).positiveDeltas(3).positiveCounts(7)
        .zeroCountFloat(5).timestamp(1).bytes();
    Histogram i = only(v1(v1Request(SERIES, new double[0], integer)));
    assertThat(i.positiveCount(0)).isEqualTo(3);
    assertThat(i.zeroCount()).isZero();
    byte[] floats = new HistogramMessage().countFloat(7).positiveSpans(0, 1).positiveDeltas(3).positiveCounts(7)
        .zeroCountInt(5).timestamp(1).bytes();
    Histogram f = only(v1(v1Request(SERIES, new double[0], floats)));
    assertThat(f.positiveCount(0)).isEqualTo(7);
    assertThat(f.zeroCount()).isZero();
  }

  @Test
  void customBucketsKeepTheirBounds() throws Exception {
    byte[] h = new HistogramMessage().countInt(5).sum(2).schema(Histogram.CUSTOM_BUCKETS_SCHEMA)
        .positiveSpans(0, 2, 1, 1).positiveDeltas(1, 2, -2).customValues(0.1, 0.5, 1, 5).timestamp(3000).bytes();
    for (Histogram c : List.of(only(v1(v1Request(SERIES, new double[0], h))), only(v2(v2Request(SERIES, h))))) {
      assertThat(c.usesCustomBuckets()).isTrue();
      assertThat(c.customValueCount()).isEqualTo(4);
      assertThat(c.customValue(3)).isEqualTo(5);
      List<String> buckets = new ArrayList<>();
      c.forEachBucket((rule, lower, upper, count) -> buckets.add(lower + ".." + upper + "=" + count));
      assertThat(buckets).containsExactly("-Infinity..0.1=1.0", "0.1..0.5=3.0", "1.0..5.0=1.0");
    }
  }

  @Test
  void unpackedRepeatedFieldsReadAsPackedOnes() throws Exception {
    byte[] packed = new HistogramMessage().countInt(6).schema(0).positiveSpans(1, 3).positiveDeltas(1, 1, 1)
        .negativeSpans(0, 1).negativeDeltas(0).timestamp(1).bytes();
    byte[] unpacked = new HistogramMessage().unpacked().countInt(6).schema(0).positiveSpans(1, 3)
        .positiveDeltas(1, 1, 1).negativeSpans(0, 1).negativeDeltas(0).timestamp(1).bytes();
    byte[] unpackedFloats = new HistogramMessage().unpacked().countFloat(6).positiveSpans(1, 3)
        .positiveCounts(1, 2, 3).negativeSpans(0, 1).negativeCounts(0).timestamp(1).bytes();
    Histogram expected = only(v1(v1Request(SERIES, new double[0], packed)));
    assertThat(only(v1(v1Request(SERIES, new double[0], unpacked)))).isEqualTo(expected);
    assertThat(only(v1(v1Request(SERIES, new double[0], unpackedFloats)))).isEqualTo(expected);
    assertThat(expected.positiveCount(2)).isEqualTo(3);
  }

  @Test
  void resetHintsAndTheStaleMarker() throws Exception {
    List<ResetHint> hints = new ArrayList<>();
    for (int value : new int[] {0, 1, 2, 3, 7}) {
      byte[] h = new HistogramMessage().countInt(0).resetHint(value).timestamp(1).bytes();
      hints.add(only(v2(v2Request(SERIES, h))).resetHint());
    }
    assertThat(hints).as("a hint this version does not know is no hint").containsExactly(ResetHint.UNKNOWN,
        ResetHint.YES, ResetHint.NO, ResetHint.GAUGE, ResetHint.UNKNOWN);

    // Prometheus writes a stale histogram with the stale NaN as its sum and its bits as its count.
    byte[] stale = new HistogramMessage().countInt(StaleMarker.BITS).sum(StaleMarker.VALUE).positiveSpans(0, 1)
        .positiveDeltas(1).timestamp(9000).bytes();
    Decoded d = v1(v1Request(SERIES, new double[0], stale));
    assertThat(only(d)).isEqualTo(Histogram.staleMarker());
    assertThat(d.histograms().getFirst().timestampMs()).isEqualTo(9000);
  }

  @Test
  void fieldsWithAnUnexpectedWireTypeAndUnknownFieldsAreSkipped() throws Exception {
    byte[] h = new HistogramMessage().countInt(1).positiveSpans(0, 1).positiveDeltas(1)
        .raw((byte) 0x18, (byte) 0x05) // field 3 (sum, a double) as a varint
        .raw((byte) 0x88, (byte) 0x01, (byte) 0x05) // field 17 (2.0's start_timestamp)
        .sum(0.5).timestamp(1).bytes();
    Histogram read = only(v2(v2Request(SERIES, h)));
    assertThat(read.sum()).isEqualTo(0.5);
    assertThat(read.count()).isEqualTo(1);
  }

  /** The reason the request's only series was skipped for, checking that it was skipped. */
  private static String skippedFor(Summary summary) {
    assertThat(summary.invalidSeries()).isEqualTo(1);
    assertThat(summary.series()).isEqualTo(1);
    return summary.firstInvalid();
  }

  private static Summary v1Summary(byte[] request) throws RemoteWriteException {
    return new RemoteWriteDecoder(RemoteWriteLimits.defaults(), new LabelsCache(64)).decode(request,
        (series, ts, vs, n, histograms, exemplars) -> {
          throw new AssertionError("a series with an invalid histogram must not reach the store");
        });
  }

  private static Summary v2Summary(byte[] request) throws RemoteWriteException {
    return new RemoteWrite2Decoder(RemoteWriteLimits.defaults()).decode(request,
        (series, ts, vs, n, histograms, exemplars) -> {
          throw new AssertionError("a series with an invalid histogram must not reach the store");
        }, MetadataConsumer.ignore());
  }

  @Test
  void anInvalidHistogramSkipsItsSeriesWithPrometheusReason() throws Exception {
    byte[] spans = new HistogramMessage().countInt(2).positiveSpans(0, 3).positiveDeltas(1, 1).timestamp(1000)
        .bytes();
    assertThat(skippedFor(v1Summary(v1Request(SERIES, new double[] {500, 1}, spans))))
        .isEqualTo("positive side: spans need 3 buckets, have 2 buckets: histogram spans specify different number"
            + " of buckets than provided for series lat{job=\"a\"} at timestamp 1000");
    assertThat(v1Summary(v1Request(SERIES, new double[] {500, 1}, spans)).invalidSamples()).isEqualTo(2);
    byte[] schema = new HistogramMessage().countInt(0).schema(9).timestamp(1000).bytes();
    assertThat(skippedFor(v2Summary(v2Request(SERIES, schema))))
        .isEqualTo("histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 "
            + "for custom buckets, got schema 9 for series lat{job=\"a\"} at timestamp 1000");
    byte[] negative = new HistogramMessage().countInt(2).positiveSpans(0, 2).positiveDeltas(2, -3).timestamp(1000)
        .bytes();
    assertThat(skippedFor(v2Summary(v2Request(SERIES, negative))))
        .startsWith("positive side: bucket number 2 has observation count of -1: histogram has a bucket "
            + "whose observation count is negative");
    byte[] miscounted = new HistogramMessage().countInt(5).positiveSpans(0, 2).positiveDeltas(1, 1).timestamp(1000)
        .bytes();
    assertThat(skippedFor(v2Summary(v2Request(SERIES, miscounted))))
        .startsWith("3 observations found in buckets, but the Count field is 5: histogram's observation "
            + "count should equal the number of observations found in the buckets (in absence of NaN)");
    byte[] bounds = new HistogramMessage().countInt(1).schema(-53).positiveSpans(0, 1).positiveDeltas(1)
        .customValues(1, 1).timestamp(1000).bytes();
    assertThat(skippedFor(v1Summary(v1Request(SERIES, new double[0], bounds))))
        .startsWith("custom buckets: previous bound is 1.000000 and current is 1.000000: histogram "
            + "custom bounds must be in strictly increasing order");
  }

  @Test
  void malformedHistogramMessagesAreRefusedAsUndecodable() {
    byte[] whole = new HistogramMessage().countInt(1).sum(1.5).bytes();
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3); // the double of sum ends early
    byte[] oddDoubles = new HistogramMessage().countFloat(1).raw((byte) 0x6a, (byte) 5, (byte) 1, (byte) 2,
        (byte) 3, (byte) 4, (byte) 5).bytes(); // packed positive_counts of 5 bytes: not whole doubles
    byte[] spanTooLong = new HistogramMessage().countInt(1).raw((byte) 0x5a, (byte) 0x7f, (byte) 0x08).bytes();
    for (byte[] h : List.of(cut, oddDoubles, spanTooLong)) {
      assertThatThrownBy(() -> v1(v1Request(SERIES, new double[0], h))).isInstanceOf(RemoteWriteException.class)
          .hasMessageStartingWith("failed to decode the write request: ");
      assertThatThrownBy(() -> v2(v2Request(SERIES, h))).isInstanceOf(RemoteWriteException.class)
          .hasMessageStartingWith("failed to decode the write request: ");
    }
  }
}

package io.sightline.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.collector.receiver.prometheusremotewrite.RemoteWriteDecoder;
import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import org.junit.jupiter.api.Test;

/** The hand-written {@code WriteRequest}, read back by the receiver's decoder. */
class WriteRequestEncoderTest {
  private static final Labels CALLS = Labels.of("__name__", "traces_spanmetrics_calls_total", "service", "shop",
      "span_name", "GET /cart", "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_UNSET");
  private static final Labels BUCKET = Labels.of("__name__", "traces_spanmetrics_latency_bucket", "le", "0.064",
      "service", "shop", "span_name", "GET /cart — ünïcødé");

  @Test
  void samplesExemplarsAndMetadataComeBackAsWritten() throws Exception {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    encoder.metadata("traces_spanmetrics_calls", "counter", "Calls by span.", "");
    encoder.metadata("traces_spanmetrics_latency", "histogram", "", "seconds");
    encoder.sample(CALLS, 1_700_000_000_000L, 0);
    encoder.sample(CALLS, 1_700_000_015_000L, 42);
    encoder.sample(BUCKET, 1_700_000_015_000L, StaleMarker.VALUE);
    encoder.sample(BUCKET, -5, -0.0);
    encoder.exemplar(BUCKET, Labels.of("traceID", "0af7651916cd43dd8448eb211c80319c"), 1_700_000_015_000L, 0.05);

    Decoded d = Decoded.snappy(encoder.snappy());

    assertThat(d.series()).hasSize(2);
    assertThat(d.series().get(0).labels()).isEqualTo(CALLS);
    assertThat(d.series().get(0).samples()).containsExactly(new Decoded.Sample(1_700_000_000_000L, 0),
        new Decoded.Sample(1_700_000_015_000L, 42));
    Decoded.Series bucket = d.series().get(1);
    assertThat(bucket.labels()).isEqualTo(BUCKET);
    assertThat(Double.doubleToRawLongBits(bucket.samples().get(0).value())).isEqualTo(StaleMarker.BITS);
    assertThat(bucket.samples().get(1).timestampMs()).isEqualTo(-5);
    assertThat(Double.doubleToRawLongBits(bucket.samples().get(1).value()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(bucket.exemplars()).containsExactly(new RemoteWriteDecoder.DecodedExemplar(
        Labels.of("traceID", "0af7651916cd43dd8448eb211c80319c"), 0.05, 1_700_000_015_000L));
    assertThat(d.metadata()).containsExactly(
        new WriteBatch.Metadata("traces_spanmetrics_calls", "counter", "Calls by span.", ""),
        new WriteBatch.Metadata("traces_spanmetrics_latency", "histogram", "", "seconds"));
    assertThat(d.summary().samples()).isEqualTo(4);
    assertThat(d.summary().exemplars()).isEqualTo(1);
    assertThat(d.summary().invalidSeries()).isZero();
  }

  @Test
  void aSeriesThatComesBackLaterIsANewTimeSeriesAndTheEncoderIsReusable() throws Exception {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    encoder.sample(CALLS, 1, 1);
    encoder.reset();
    encoder.sample(CALLS, 2, 2);
    encoder.sample(BUCKET, 2, 3);
    encoder.sample(CALLS, 3, 4);

    Decoded d = Decoded.snappy(encoder.snappy());

    assertThat(d.series()).extracting(Decoded.Series::labels).containsExactly(CALLS, BUCKET, CALLS);
    assertThat(d.samples()).containsExactly(new Decoded.Sample(2, 2), new Decoded.Sample(2, 3),
        new Decoded.Sample(3, 4));
  }

  @Test
  void anEmptyRequestIsEmpty() throws Exception {
    WriteRequestEncoder encoder = new WriteRequestEncoder();
    assertThat(encoder.toByteArray()).isEmpty();
    assertThat(Decoded.snappy(encoder.snappy()).series()).isEmpty();
  }
}

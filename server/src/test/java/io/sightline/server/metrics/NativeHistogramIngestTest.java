package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.sightline.collector.receiver.prometheusremotewrite.HistogramMessage;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.LabelMatcher;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Native histograms arrive by remote write 1.0 and 2.0 (written here byte by byte, as Prometheus writes them) and by
 * OTLP from the OpenTelemetry SDK's base-2 exponential histograms; the query API then answers them as Prometheus does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeHistogramIngestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RW2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  @TempDir
  static Path dataDir;
  private Sightline server;
  private final HttpClient http = HttpClient.newHttpClient();
  /** A whole second a minute ago: recent enough for the head, and what an instant query at it reports. */
  private final long t = System.currentTimeMillis() / 1000 * 1000 - 60_000;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start("{}", dataDir, new RecordingExporterFactory());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void remoteWrite1IntegerHistogramWithAnExemplarIsAnsweredAsPrometheusDoes() throws Exception {
    // schema 0: buckets (0.5, 1], (1, 2], (4, 8] hold 2, 3, 1; [-2, -1) holds 2; the zero bucket 1.
    byte[] h = new HistogramMessage().countInt(9).sum(20.5).schema(0).zeroThreshold(0.001).zeroCountInt(1)
        .negativeSpans(1, 1).negativeDeltas(2).positiveSpans(0, 2, 1, 1).positiveDeltas(2, 1, -2).timestamp(t).bytes();
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    series.writeBytes(RemoteWriteProtocolTest.series(new String[] {"__name__", "rw_hist_latency", "job", "api"},
        new long[0], new double[0]));
    CodedOutputStream o = CodedOutputStream.newInstance(series);
    o.writeByteArray(4, h);
    o.writeByteArray(3, exemplar("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", 3.5, t));
    o.flush();
    HttpResponse<String> r = post(RemoteWriteProtocolTest.request(series.toByteArray()), "application/x-protobuf");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

    JsonNode result = query("rw_hist_latency", t);
    assertThat(result).hasSize(1);
    assertThat(result.get(0).get("metric")).isEqualTo(JSON.readTree(
        "{\"__name__\":\"rw_hist_latency\",\"job\":\"api\"}"));
    assertThat(result.get(0).has("value")).isFalse();
    assertThat(result.get(0).get("histogram")).isEqualTo(JSON.readTree("[" + t / 1000 + ",{\"count\":\"9\","
        + "\"sum\":\"20.5\",\"buckets\":[[1,\"-2\",\"-1\",\"2\"],[3,\"-0.001\",\"0.001\",\"1\"],"
        + "[0,\"0.5\",\"1\",\"2\"],[0,\"1\",\"2\",\"3\"],[0,\"4\",\"8\",\"1\"]]}]"));

    JsonNode exemplars = get("/api/v1/query_exemplars", "query", "rw_hist_latency", "start",
        Long.toString(t / 1000 - 1), "end", Long.toString(t / 1000 + 1)).get("data");
    assertThat(exemplars.get(0).get("exemplars").get(0).get("labels").get("trace_id").asText())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(exemplars.get(0).get("exemplars").get(0).get("value").asText()).isEqualTo("3.5");
  }

  @Test
  void remoteWrite2FloatHistogramsWithCustomBucketsAreCountedInTheResponseAndQueried() throws Exception {
    String[] symbols = {"", "__name__", "rw2_hist_size", "trace_id", "abc", "Sizes.", "bytes"};
    byte[] first = floatCustom(t, 4, 3, 1.5, 0, 2, 0.5);
    byte[] second = floatCustom(t + 15_000, 6, 4, 2.5, 0, 3, 0.5);
    HttpResponse<String> r = post(RemoteWriteProtocolTest.rw2Request(symbols, new int[] {1, 2},
        new long[] {t - 5000}, new double[] {42}, new int[] {3, 4}, first, second), RW2);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Histograms-Written")).hasValue("2");
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("1");
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Exemplars-Written")).hasValue("1");

    JsonNode histogram = query("rw2_hist_size", t).get(0).get("histogram").get(1);
    assertThat(histogram.get("count").asText()).isEqualTo("4");
    assertThat(histogram.get("sum").asText()).isEqualTo("3");
    List<String> buckets = new ArrayList<>();
    histogram.get("buckets").forEach(b -> buckets.add(b.get(1).asText() + ".." + b.get(2).asText() + "="
        + b.get(3).asText()));
    assertThat(buckets).as("bucket bounds from custom_values; empty buckets left out")
        .containsExactly("-Inf..0.1=1.5", "0.5..1=2", "1..+Inf=0.5");

    JsonNode range = get("/api/v1/query_range", "query", "rw2_hist_size", "start", Long.toString(t / 1000),
        "end", Long.toString(t / 1000 + 15), "step", "15").get("data").get("result");
    assertThat(range).hasSize(1);
    JsonNode points = range.get(0).get("histograms");
    assertThat(points).hasSize(2);
    assertThat(points.get(0).get(0).asLong()).isEqualTo(t / 1000);
    assertThat(points.get(1).get(0).asLong()).isEqualTo(t / 1000 + 15);
    assertThat(points.get(1).get(1).get("count").asText()).isEqualTo("6");
    assertThat(range.get(0).has("values")).as("the float sample lies before the range").isFalse();
  }

  @Test
  void anInvalidHistogramIs400AndOnlyItsSeriesIsLeftOut() throws Exception {
    byte[] invalid = new HistogramMessage().countInt(2).positiveSpans(0, 3).positiveDeltas(1, 1).timestamp(t).bytes();
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    series.writeBytes(RemoteWriteProtocolTest.series(new String[] {"__name__", "rw_hist_invalid"}, new long[0],
        new double[0]));
    CodedOutputStream o = CodedOutputStream.newInstance(series);
    o.writeByteArray(4, invalid);
    o.flush();
    byte[] floats = RemoteWriteProtocolTest.series(new String[] {"__name__", "rw_hist_invalid_neighbour"},
        new long[] {t}, new double[] {1});
    HttpResponse<String> r = post(RemoteWriteProtocolTest.request(floats, series.toByteArray()),
        "application/x-protobuf");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("1 samples refused, 1 stored; first: positive side: spans need 3 buckets, have 2 "
        + "buckets: histogram spans specify different number of buckets than provided for series rw_hist_invalid{} at "
        + "timestamp " + t + "\n");
    assertThat(query("rw_hist_invalid", t)).isEmpty();
    // The valid series of the same request is kept, as Prometheus' remote-write 2.0 handler keeps it.
    assertThat(query("rw_hist_invalid_neighbour", t)).hasSize(1);

    HttpResponse<String> v2 = post(RemoteWriteProtocolTest.rw2Request(new String[] {"", "__name__",
        "rw2_hist_invalid", "h", "u"}, new int[] {1, 2}, new long[0], new double[0], null,
        new HistogramMessage().countInt(0).schema(9).timestamp(t).bytes()), RW2);
    assertThat(v2.statusCode()).isEqualTo(400);
    assertThat(v2.body()).startsWith("1 samples refused, 0 stored; first: histogram has an invalid schema, which "
        + "must be between -4 and 8 for exponential buckets, or -53 for custom buckets, got schema 9 for series "
        + "rw2_hist_invalid{}");
    assertThat(query("rw2_hist_invalid", t)).isEmpty();
  }

  @Test
  void anOutOfOrderHistogramIsRefusedAndARetriedOneAccepted() throws Exception {
    byte[] now = new HistogramMessage().countInt(1).positiveSpans(0, 1).positiveDeltas(1).timestamp(t).bytes();
    byte[] older = new HistogramMessage().countInt(1).positiveSpans(0, 1).positiveDeltas(1).timestamp(t - 1000)
        .bytes();
    assertThat(post(rw1Histograms("rw_hist_order", now), "application/x-protobuf").statusCode()).isEqualTo(204);
    HttpResponse<String> r = post(rw1Histograms("rw_hist_order", older), "application/x-protobuf");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("1 samples refused, 0 stored; first: out of order sample for series "
        + "rw_hist_order{} at timestamp " + (t - 1000) + "\n");
    assertThat(post(rw1Histograms("rw_hist_order", now), "application/x-protobuf").statusCode())
        .as("the same histogram sent again, as a sender retries").isEqualTo(204);
    assertThat(storedHistograms("rw_hist_order")).hasSize(1);
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).containsPattern("sightline_remote_write_samples_total\\{result=\"out_of_order\"} [1-9]");
  }

  @Test
  void theOpenTelemetrySdksExponentialHistogramsArriveOverOtlp() throws Exception {
    double[] observed = {0.25, 0.5, 3.0};
    for (AggregationTemporalitySelector temporality : List.of(AggregationTemporalitySelector.alwaysCumulative(),
        AggregationTemporalitySelector.deltaPreferred())) {
      boolean delta = temporality != AggregationTemporalitySelector.alwaysCumulative();
      OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("http") + "/v1/metrics")
          .setAggregationTemporalitySelector(temporality).build();
      try (SdkMeterProvider meters = SdkMeterProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "payments")))
          .registerView(InstrumentSelector.builder().setType(InstrumentType.HISTOGRAM).build(),
              View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
          .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
          .build()) {
        DoubleHistogram duration = meters.get("payments").histogramBuilder(delta ? "rpc.client.duration"
            : "rpc.server.duration").setUnit("s").build();
        for (double v : observed) {
          duration.record(v, Attributes.of(AttributeKey.stringKey("rpc.method"), "Pay"));
        }
        assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
    }
    for (String name : List.of("rpc_server_duration_seconds", "rpc_client_duration_seconds")) {
      JsonNode result = get("/api/v1/query", "query", name).get("data").get("result");
      assertThat(result).as(name).hasSize(1);
      assertThat(result.get(0).get("metric")).isEqualTo(JSON.readTree("{\"__name__\":\"" + name + "\","
          + "\"job\":\"payments\",\"rpc_method\":\"Pay\"}"));
      JsonNode h = result.get(0).get("histogram").get(1);
      assertThat(h.get("count").asText()).isEqualTo("3");
      assertThat(h.get("sum").asText()).isEqualTo("3.75");
      JsonNode buckets = h.get("buckets");
      assertThat(buckets).hasSize(3);
      for (int i = 0; i < observed.length; i++) {
        JsonNode b = buckets.get(i);
        assertThat(b.get(3).asText()).isEqualTo("1");
        assertThat(b.get(0).asInt()).as("(lower, upper]").isZero();
        // Bounds are powers of 2^(2^-scale); the SDK's and ours are computed apart, so allow for rounding.
        assertThat(observed[i]).isGreaterThan(b.get(1).asDouble() * (1 + 1e-12))
            .isLessThanOrEqualTo(b.get(2).asDouble() * (1 + 1e-12));
      }
    }
    // Closing the meter provider exports once more; a cumulative stream repeats its point then.
    assertThat(storedHistograms("rpc_server_duration_seconds")).isNotEmpty()
        .allSatisfy(h -> assertThat(h.resetHint()).isEqualTo(Histogram.ResetHint.UNKNOWN));
    assertThat(storedHistograms("rpc_client_duration_seconds")).as("deltas are stored as they are, as gauges")
        .isNotEmpty().allSatisfy(h -> assertThat(h.resetHint()).isEqualTo(Histogram.ResetHint.GAUGE));
  }

  /** One custom-bucket float histogram: bounds 0.1, 0.5, 1, then the four bucket counts. */
  private static byte[] floatCustom(long t, double count, double sum, double... counts) {
    return new HistogramMessage().countFloat(count).sum(sum).schema(Histogram.CUSTOM_BUCKETS_SCHEMA)
        .positiveSpans(0, counts.length).positiveCounts(counts).customValues(0.1, 0.5, 1).timestamp(t).bytes();
  }

  private static byte[] rw1Histograms(String name, byte[]... histograms) throws IOException {
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    series.writeBytes(RemoteWriteProtocolTest.series(new String[] {"__name__", name}, new long[0], new double[0]));
    CodedOutputStream o = CodedOutputStream.newInstance(series);
    for (byte[] h : histograms) {
      o.writeByteArray(4, h);
    }
    o.flush();
    return RemoteWriteProtocolTest.request(series.toByteArray());
  }

  private static byte[] exemplar(String name, String value, double v, long t) throws IOException {
    ByteArrayOutputStream label = new ByteArrayOutputStream();
    CodedOutputStream lo = CodedOutputStream.newInstance(label);
    lo.writeString(1, name);
    lo.writeString(2, value);
    lo.flush();
    ByteArrayOutputStream exemplar = new ByteArrayOutputStream();
    CodedOutputStream eo = CodedOutputStream.newInstance(exemplar);
    eo.writeByteArray(1, label.toByteArray());
    eo.writeDouble(2, v);
    eo.writeInt64(3, t);
    eo.flush();
    return exemplar.toByteArray();
  }

  private List<Histogram> storedHistograms(String name) {
    List<Histogram> out = new ArrayList<>();
    for (Series s : server.metricStore().querier().select(List.of(LabelMatcher.equal("__name__", name)),
        Long.MIN_VALUE, Long.MAX_VALUE)) {
      SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
      while (it.next()) {
        out.add(it.histogram());
      }
    }
    return out;
  }

  private HttpResponse<String> post(byte[] request, String contentType) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/write"))
        .header("Content-Type", contentType).header("Content-Encoding", "snappy")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode query(String query, long timeMs) throws Exception {
    return get("/api/v1/query", "query", query, "time", Long.toString(timeMs / 1000)).get("data").get("result");
  }

  private JsonNode get(String path, String... params) throws Exception {
    return TestServers.getJson(http, server.httpPort(), path, params);
  }
}

package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import io.sightline.core.model.LabelMatcher;
import io.sightline.metricstore.SampleIterator;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.RemoteWriteMessages;
import io.sightline.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** Remote write at the byte level: what is stored, and what each kind of bad request is told. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteWriteProtocolTest {
  @TempDir
  static Path dataDir;
  private final HttpClient client = HttpClient.newHttpClient();
  private Sightline server;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start("""
        storage:
          metrics:
            max_labels_per_series: 5
        """, dataDir, new RecordingExporterFactory());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** One series as a {@code TimeSeries} message: alternating label names and values, then (t, v) pairs. */
  static byte[] series(String[] labels, long[] ts, double[] vs) throws IOException {
    return RemoteWriteMessages.series(labels, ts, vs);
  }

  static byte[] request(byte[]... series) throws IOException {
    return RemoteWriteMessages.request(series);
  }

  private HttpResponse<String> post(byte[] body, String contentType) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/write"))
        .header("Content-Type", contentType).header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> write(byte[] request) throws Exception {
    return post(Snappy.compress(request), "application/x-protobuf");
  }

  private long stored(String metric) {
    long n = 0;
    for (var s : server.metricStore().querier().select(List.of(LabelMatcher.equal("__name__", metric)),
        Long.MIN_VALUE, Long.MAX_VALUE)) {
      SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
      while (it.next()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void samplesAreStoredAndAnswered204() throws Exception {
    HttpResponse<String> r = write(request(
        series(new String[] {"__name__", "rw_ok", "job", "a"}, new long[] {1000, 2000, 3000}, new double[] {1, 2, 3}),
        series(new String[] {"job", "b", "__name__", "rw_ok"}, new long[] {1000}, new double[] {7})));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(stored("rw_ok")).isEqualTo(4);
  }

  @Test
  void outOfOrderSamplesWithinTheWindowAreStoredAndOlderOnesAre400() throws Exception {
    long t = 10_000_000L;
    long window = 10 * 60_000L; // the default storage.metrics.out_of_order_time_window
    write(request(series(new String[] {"__name__", "rw_ooo"}, new long[] {t}, new double[] {1})));
    assertThat(write(request(series(new String[] {"__name__", "rw_ooo"}, new long[] {t - 1000}, new double[] {2})))
        .statusCode()).isEqualTo(204);
    HttpResponse<String> r = write(request(series(new String[] {"__name__", "rw_ooo"},
        new long[] {t - window - 1, t + 1000, t + 2000}, new double[] {1, 2, 3})));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("1 samples refused, 2 stored; first: too old sample (older than "
        + "storage.metrics.out_of_order_time_window) for series rw_ooo{} at timestamp " + (t - window - 1));
    assertThat(stored("rw_ooo")).isEqualTo(4);
  }

  @Test
  void samplesMoreThanTenMinutesAheadAreRefusedAsPrometheusRefusesThem() throws Exception {
    long now = System.currentTimeMillis();
    long ahead = now + 3600_000L;
    HttpResponse<String> r = write(request(series(new String[] {"__name__", "rw_future"},
        new long[] {now - 1000, now + 60_000, ahead}, new double[] {1, 2, 3})));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("1 samples refused, 2 stored; first: out of bounds: timestamp is too far in the "
        + "future (storage.metrics.max_time_ahead) for series rw_future{} at timestamp " + ahead + "\n");
    assertThat(stored("rw_future")).isEqualTo(2);
  }

  @Test
  void badRequestsAre400AndDamageNothing() throws Exception {
    write(request(series(new String[] {"__name__", "rw_safe"}, new long[] {1000}, new double[] {1})));
    assertThat(post(new byte[] {1, 2, 3, 4, 5}, "application/x-protobuf"))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.body()).startsWith("snappy: corrupt input"));
    assertThat(write(new byte[] {0x0a, 0x7f, 0x01}))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.body()).startsWith("failed to decode the write request"));
    assertThat(write(request(series(new String[] {"__name__", "rw_bad", "bad-name", "x"}, new long[] {1},
        new double[] {1})))).satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.body()).contains("invalid label name \"bad-name\""));
    assertThat(write(request(series(new String[] {"job", "x"}, new long[] {1}, new double[] {1}))))
        .satisfies(r -> assertThat(r.body()).contains("series without a metric name"));
    assertThat(write(request(series(new String[] {"__name__", "rw_dup", "a", "1", "a", "2"}, new long[] {1},
        new double[] {1})))).satisfies(r -> assertThat(r.body()).contains("duplicate label name \"a\""));
    assertThat(write(request(series(new String[] {"__name__", "rw_many", "a", "1", "b", "1", "c", "1", "d", "1", "e",
        "1"}, new long[] {1}, new double[] {1})))).satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.body()).contains("series has 6 labels, more than the limit of 5"));
    assertThat(stored("rw_bad") + stored("rw_dup") + stored("rw_many")).isZero();
    // An invalid series costs only itself: the valid ones of its request are stored, and the answer says so.
    HttpResponse<String> mixed = write(request(
        series(new String[] {"__name__", "rw_bad", "bad-name", "x"}, new long[] {1}, new double[] {1}),
        series(new String[] {"__name__", "rw_kept"}, new long[] {1000, 2000}, new double[] {1, 2})));
    assertThat(mixed.statusCode()).isEqualTo(400);
    assertThat(mixed.body()).startsWith("1 samples refused, 2 stored; first: invalid label name \"bad-name\"");
    assertThat(stored("rw_kept")).isEqualTo(2);
    assertThat(stored("rw_bad")).isZero();
    assertThat(stored("rw_safe")).isEqualTo(1);
    assertThat(write(request(series(new String[] {"__name__", "rw_safe"}, new long[] {2000}, new double[] {2})))
        .statusCode()).isEqualTo(204);
    assertThat(stored("rw_safe")).isEqualTo(2);
  }

  @Test
  void unknownProtosAndEncodingsAre415AndGetIs405() throws Exception {
    HttpResponse<String> other = post(Snappy.compress(new byte[0]), "application/x-protobuf;proto=example.Other");
    assertThat(other.statusCode()).isEqualTo(415);
    assertThat(other.body()).contains("unknown remote write proto \"example.Other\"");
    HttpResponse<String> gzip = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + "/api/v1/write")).header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1]))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(gzip.statusCode()).isEqualTo(415);
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + "/api/v1/write")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  private static final String RW2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  /**
   * A remote-write 2.0 request: {@code symbols}, then one series of label refs, samples, native histograms
   * ({@code Histogram} messages), an exemplar and metadata (type counter, help and unit refs).
   */
  static byte[] rw2Request(String[] symbols, int[] labelRefs, long[] ts, double[] vs, int[] exemplarRefs,
      byte[]... histograms) throws IOException {
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    CodedOutputStream so = CodedOutputStream.newInstance(series);
    ByteArrayOutputStream refs = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(refs);
    for (int r : labelRefs) {
      ro.writeUInt32NoTag(r);
    }
    ro.flush();
    so.writeByteArray(1, refs.toByteArray());
    for (int i = 0; i < ts.length; i++) {
      ByteArrayOutputStream sample = new ByteArrayOutputStream();
      CodedOutputStream sa = CodedOutputStream.newInstance(sample);
      sa.writeDouble(1, vs[i]);
      sa.writeInt64(2, ts[i]);
      sa.flush();
      so.writeByteArray(2, sample.toByteArray());
    }
    for (byte[] h : histograms) {
      so.writeByteArray(3, h);
    }
    if (exemplarRefs != null) {
      ByteArrayOutputStream ex = new ByteArrayOutputStream();
      CodedOutputStream eo = CodedOutputStream.newInstance(ex);
      for (int r : exemplarRefs) {
        eo.writeUInt32(1, r);
      }
      eo.writeDouble(2, 0.5);
      eo.writeInt64(3, ts[0]);
      eo.flush();
      so.writeByteArray(4, ex.toByteArray());
    }
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    CodedOutputStream mo = CodedOutputStream.newInstance(meta);
    mo.writeEnum(1, 1); // COUNTER
    mo.writeUInt32(3, symbols.length - 2);
    mo.writeUInt32(4, symbols.length - 1);
    mo.flush();
    so.writeByteArray(5, meta.toByteArray());
    so.flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    for (String s : symbols) {
      o.writeString(4, s);
    }
    o.writeByteArray(5, series.toByteArray());
    o.flush();
    return out.toByteArray();
  }

  @Test
  void remoteWrite2StoresSamplesExemplarsAndMetadataAndSaysWhatItWrote() throws Exception {
    String[] symbols = {"", "__name__", "rw2_requests_total", "job", "api", "trace_id", "abc", "Requests.", "requests"};
    HttpResponse<String> r = post(Snappy.compress(rw2Request(symbols, new int[] {1, 2, 3, 4},
        new long[] {1000, 2000}, new double[] {1, 2}, new int[] {5, 6})), RW2);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).hasValue("2");
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Exemplars-Written")).hasValue("1");
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Histograms-Written")).hasValue("0");
    assertThat(stored("rw2_requests_total")).isEqualTo(2);
    assertThat(server.metricStore().querier().metadata("rw2_requests_total").get("rw2_requests_total"))
        .isEqualTo(new io.sightline.metricstore.MetricMetadata("counter", "Requests.", "requests"));
    assertThat(server.metricStore().querier().exemplars(List.of(LabelMatcher.equal("__name__", "rw2_requests_total")),
        0, 10_000).get(0).exemplars().get(0).labels().get("trace_id")).isEqualTo("abc");
  }

  @Test
  void remoteWrite2RefusesBadReferences() throws Exception {
    String[] symbols = {"", "__name__", "rw2_bad", "help", "unit"};
    HttpResponse<String> outOfRange = post(Snappy.compress(rw2Request(symbols, new int[] {1, 9}, new long[] {1},
        new double[] {1}, null)), RW2);
    assertThat(outOfRange.statusCode()).isEqualTo(400);
    assertThat(outOfRange.body()).contains("invalid symbol reference 9: the symbol table has 5 entries");
    HttpResponse<String> odd = post(Snappy.compress(rw2Request(symbols, new int[] {1, 2, 3}, new long[] {1},
        new double[] {1}, null)), RW2);
    assertThat(odd.body()).contains("an odd number of references (3)");
    String[] noEmpty = {"__name__", "rw2_bad", "help", "unit"};
    HttpResponse<String> firstSymbol = post(Snappy.compress(rw2Request(noEmpty, new int[] {0, 1}, new long[] {1},
        new double[] {1}, null)), RW2);
    assertThat(firstSymbol.body()).contains("the first symbol must be the empty string");
    assertThat(stored("rw2_bad")).isZero();
  }

  /** A series with one sample and one exemplar ({@code Exemplar { labels = 1; value = 2; timestamp = 3; }}). */
  static byte[] seriesWithExemplar(String metric, long t, double v, String traceId, double exemplarValue)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(series(new String[] {"__name__", metric, "le", "0.5"}, new long[] {t}, new double[] {v}));
    ByteArrayOutputStream label = new ByteArrayOutputStream();
    CodedOutputStream lo = CodedOutputStream.newInstance(label);
    lo.writeString(1, "trace_id");
    lo.writeString(2, traceId);
    lo.flush();
    ByteArrayOutputStream exemplar = new ByteArrayOutputStream();
    CodedOutputStream eo = CodedOutputStream.newInstance(exemplar);
    eo.writeByteArray(1, label.toByteArray());
    eo.writeDouble(2, exemplarValue);
    eo.writeInt64(3, t);
    eo.flush();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(3, exemplar.toByteArray());
    o.flush();
    return out.toByteArray();
  }

  @Test
  void exemplarsAreStoredAndServedByQueryExemplars() throws Exception {
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    assertThat(write(request(seriesWithExemplar("rw_latency_bucket", 1_600_096_945_479L, 7, trace, 0.42)))
        .statusCode()).isEqualTo(204);
    assertThat(write(request(seriesWithExemplar("rw_latency_bucket", 1_600_096_950_000L, 8,
        "x".repeat(200), 0.5))).statusCode()).as("an over-long exemplar is dropped, the sample kept").isEqualTo(204);
    assertThat(stored("rw_latency_bucket")).isEqualTo(2);
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + "/api/v1/query_exemplars?query=rw_latency_bucket&start=1600096900&end=1600097000")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"__name__\":"
        + "\"rw_latency_bucket\",\"le\":\"0.5\"},\"exemplars\":[{\"labels\":{\"trace_id\":\"" + trace
        + "\"},\"value\":\"0.42\",\"timestamp\":1600096945.479}]}]}");
    HttpResponse<String> probe = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.httpPort() + "/api/v1/query_exemplars?query=test&start=1&end=4")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(probe.body()).as("Grafana's availability probe").isEqualTo("{\"status\":\"success\",\"data\":[]}");
  }

  @Test
  void tsdbStatusAndRuntimeInfoHavePrometheusShape() throws Exception {
    write(request(series(new String[] {"__name__", "rw_status", "job", "s"}, new long[] {1000}, new double[] {1})));
    HttpResponse<String> tsdb = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + "/api/v1/status/tsdb?limit=3")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(tsdb.statusCode()).isEqualTo(200);
    assertThat(tsdb.body()).startsWith("{\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":"
        + server.metricStore().stats(3).numSeries() + ",").contains("\"seriesCountByMetricName\":[{\"name\":")
        .contains("\"seriesCountByLabelValuePair\":[");
    HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + "/api/v1/status/tsdb?limit=0")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<String> runtime = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.httpPort() + "/api/v1/status/runtimeinfo")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(runtime.body()).contains("\"reloadConfigSuccess\":true").contains("\"GOMAXPROCS\":");
  }
}

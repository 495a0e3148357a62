package io.sightline.collector.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.exporter.otlphttp.OtlpHttpExporterFactory;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.TestData;
import io.sightline.collector.pipeline.Traces;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code otlp} (gRPC) and {@code otlphttp} exporters against Sightline's OTLP receiver: what arrives, how the
 * peer's answers are taken (retried, dropped, throttled), the queue's bound, and the counters.
 */
class OtlpExporterTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);

  @TempDir
  Path dataDir;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private Host host;
  private OtlpPeer peer;

  @BeforeEach
  void startPeer() throws Exception {
    host = new Host(dataDir, new ObsReport(registry));
    peer = new OtlpPeer(new Host(dataDir, new ObsReport(new PrometheusRegistry())));
  }

  @AfterEach
  void stopPeer() throws Exception {
    peer.close();
  }

  /** The exporter of {@code type} aimed at the peer, with {@code extra} YAML lines of config (indented by 2). */
  private <T extends Telemetry> Exporter<T> exporter(String type, Signal signal, String extra) throws Exception {
    String endpoint = type.equals("otlp") ? "127.0.0.1:" + peer.grpcPort() : "http://127.0.0.1:" + peer.httpPort();
    String yaml = type + ":\n  endpoint: \"" + endpoint + "\"\n  tls: {insecure: true}\n" + extra;
    @SuppressWarnings("unchecked")
    ExporterFactory<Object> f = (ExporterFactory<Object>) (ExporterFactory<?>) factory(type);
    Object config = f.parseConfig(LOADER.parse("t.yaml", yaml).map(type));
    Exporter<T> e = f.create(new ComponentSettings(ComponentId.parse(type), host), config, signal);
    e.start();
    return e;
  }

  private static ExporterFactory<?> factory(String type) {
    return type.equals("otlp") ? new OtlpExporterFactory() : new OtlpHttpExporterFactory();
  }

  /**
   * A resource whose span is encoded with its fields out of protobuf's order (name before ids), as another SDK may
   * write it: a re-encoded span would come out different.
   */
  private static byte[] unusualResource(int n) throws Exception {
    ByteArrayOutputStream span = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(span);
    s.writeString(5, "span-" + n);
    s.writeBytes(2, ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) n}));
    s.writeBytes(1, ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, (byte) n}));
    s.flush();
    ByteArrayOutputStream scope = new ByteArrayOutputStream();
    CodedOutputStream sc = CodedOutputStream.newInstance(scope);
    sc.writeByteArray(2, span.toByteArray());
    sc.flush();
    ByteArrayOutputStream resource = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(resource);
    r.writeByteArray(2, scope.toByteArray());
    r.flush();
    return resource.toByteArray();
  }

  private static Traces wireTraces(byte[]... resources) throws Exception {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(request);
    for (byte[] r : resources) {
      o.writeByteArray(1, r);
    }
    o.flush();
    byte[] wire = request.toByteArray();
    return Traces.of(ExportTraceServiceRequest.parseFrom(wire), wire);
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void spansArriveAsTheyCameByteForByte(String type) throws Exception {
    byte[] r1 = unusualResource(1);
    byte[] r2 = unusualResource(2);
    assertThat(ExportTraceServiceRequest.parseFrom(wireTraces(r1).toRequest().toByteArray()).getResourceSpans(0)
        .toByteArray()).as("protobuf itself would reorder the fields").isNotEqualTo(r1);
    Exporter<Traces> e = exporter(type, Signal.TRACES, "  sending_queue: {enabled: false}\n");
    try {
      assertThat(e.consume(wireTraces(r1, r2)).get(10, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
    } finally {
      e.close();
    }
    assertThat(peer.received).hasSize(1);
    Traces got = (Traces) peer.received.get(0);
    assertThat(got.wireResources()).containsExactly(r1, r2);
    assertThat(counter("otelcol_exporter_sent_spans", type)).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void metricsAndLogsArriveThroughTheQueue(String type) throws Exception {
    Exporter<Metrics> m = exporter(type, Signal.METRICS, "");
    Exporter<Logs> l = exporter(type, Signal.LOGS, "");
    Metrics metrics = TestData.metrics(0, 3, 4);
    Logs logs = TestData.logs(0, 5);
    try {
      // Taken once queued: the answer comes before the peer has it.
      assertThat(m.consume(metrics).get(5, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
      assertThat(l.consume(logs).get(5, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
    } finally {
      m.close(); // sends what is queued
      l.close();
    }
    assertThat(peer.received).extracting(Telemetry::signal).containsExactlyInAnyOrder(Signal.METRICS, Signal.LOGS);
    for (Telemetry t : peer.received) {
      if (t instanceof Metrics got) {
        assertThat(got.toRequest()).isEqualTo(metrics.toRequest());
      } else {
        assertThat(((Logs) t).toRequest()).isEqualTo(logs.toRequest());
      }
    }
    assertThat(counter("otelcol_exporter_sent_metric_points", type)).isEqualTo(12);
    assertThat(counter("otelcol_exporter_sent_log_records", type)).isEqualTo(5);
    assertThat(gauge("otelcol_exporter_queue_capacity", type, "metrics")).isEqualTo(1000);
  }

  @Test
  void otlpHttpJsonEncodingCarriesHexIds() throws Exception {
    Exporter<Traces> e = exporter("otlphttp", Signal.TRACES,
        "  encoding: json\n  compression: none\n  sending_queue: {enabled: false}\n");
    Traces sent = wireTraces(unusualResource(7));
    try {
      e.consume(sent).get(10, TimeUnit.SECONDS);
    } finally {
      e.close();
    }
    // The receiver reads OTLP/JSON ids as hex: had they gone as base64, they would not come back equal.
    assertThat(((Traces) peer.received.get(0)).toRequest()).isEqualTo(sent.toRequest());
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void aRetryableRefusalIsSentAgainUntilTaken(String type) throws Exception {
    // Refused twice (as a memory limiter refuses), then taken. gRPC carries the delay in RetryInfo; HTTP's
    // Retry-After is in whole seconds, so the HTTP case waits about two seconds.
    peer.answer = b -> peer.attempts.get() <= 2
        ? CompletableFuture.failedFuture(new RetryableException("data refused due to high memory usage",
            Duration.ofMillis(20), false))
        : CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
    Exporter<Logs> e = exporter(type, Signal.LOGS,
        "  sending_queue: {enabled: false}\n  retry_on_failure: {initial_interval: 10ms, max_interval: 20ms}\n");
    try {
      assertThat(e.consume(TestData.logs(0, 3)).get(30, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
    } finally {
      e.close();
    }
    assertThat(peer.attempts).hasValue(3);
    assertThat(peer.received).hasSize(1);
    assertThat(counter("otelcol_exporter_sent_log_records", type)).isEqualTo(3);
    assertThat(counter("otelcol_exporter_send_failed_log_records", type)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void aPermanentRefusalIsNotRetriedAndIsCounted(String type) throws Exception {
    peer.answer = b -> CompletableFuture.failedFuture(new PermanentException("bad data"));
    Exporter<Logs> e = exporter(type, Signal.LOGS, "  retry_on_failure: {initial_interval: 10ms}\n");
    try {
      assertThat(e.consume(TestData.logs(0, 4)).get(5, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
    } finally {
      e.close();
    }
    assertThat(peer.attempts).hasValue(1);
    assertThat(counter("otelcol_exporter_send_failed_log_records", type)).isEqualTo(4);
    assertThat(counter("otelcol_exporter_sent_log_records", type)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void withoutAQueueAPermanentRefusalReachesTheCaller(String type) throws Exception {
    peer.answer = b -> CompletableFuture.failedFuture(new PermanentException("bad data"));
    Exporter<Logs> e = exporter(type, Signal.LOGS, "  sending_queue: {enabled: false}\n");
    try {
      assertThatThrownBy(() -> e.consume(TestData.logs(0, 1)).join()).isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(PermanentException.class).hasMessageContaining("bad data")
          .hasMessageContaining(type.equals("otlp") ? "rpc error: code = InvalidArgument desc = bad data"
              : "responded with HTTP Status Code 400");
    } finally {
      e.close();
    }
  }

  @Test
  void retriesStopAtMaxElapsedTimeAndTheCallerMayRetry() throws Exception {
    Exporter<Logs> e = exporter("otlp", Signal.LOGS, "  sending_queue: {enabled: false}\n"
        + "  retry_on_failure: {initial_interval: 10ms, max_interval: 10ms, max_elapsed_time: 100ms}\n");
    peer.close(); // nobody listens: every attempt fails with UNAVAILABLE
    try {
      assertThatThrownBy(() -> e.consume(TestData.logs(0, 2)).join()).cause()
          .isInstanceOf(RetryableException.class).hasMessageStartingWith("no more retries left: rpc error: code = "
              + "Unavailable");
    } finally {
      e.close();
    }
    assertThat(counter("otelcol_exporter_send_failed_log_records", "otlp")).isEqualTo(2);
    peer = new OtlpPeer(host); // for @AfterEach
  }

  @Test
  void aFullQueueRefusesRetryablyAndCounts() throws Exception {
    CompletableFuture<ConsumeResult> held = new CompletableFuture<>();
    peer.answer = b -> held;
    Exporter<Logs> e = exporter("otlp", Signal.LOGS,
        "  timeout: 0s\n  sending_queue: {num_consumers: 1, queue_size: 1}\n");
    try {
      e.consume(TestData.logs(0, 1)).join(); // taken by the one consumer, which waits on the peer
      while (peer.attempts.get() == 0) {
        Thread.sleep(5);
      }
      e.consume(TestData.logs(1, 1)).join(); // the queue's one place
      assertThat(gauge("otelcol_exporter_queue_size", "otlp", "logs")).isEqualTo(1);
      assertThatThrownBy(() -> e.consume(TestData.logs(2, 3)).join()).cause().isInstanceOf(RetryableException.class)
          .hasMessage("sending queue is full");
      assertThat(counter("otelcol_exporter_enqueue_failed_log_records", "otlp")).isEqualTo(3);
      held.complete(ConsumeResult.ACCEPTED);
    } finally {
      e.close();
    }
    assertThat(peer.received).hasSize(2);
    assertThat(counter("otelcol_exporter_sent_log_records", "otlp")).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void aPersistentQueueKeepsWhatItTookAcrossARestart(String type) throws Exception {
    peer.answer = b -> CompletableFuture.failedFuture(new RetryableException("not now", Duration.ofMillis(10), false));
    String config = "  sending_queue: {storage: file_storage, num_consumers: 1}\n"
        + "  retry_on_failure: {initial_interval: 10ms, max_interval: 10ms}\n";
    Path dir = dataDir.resolve("exporters/" + type + "/traces");
    Exporter<Traces> first = exporter(type, Signal.TRACES, config);
    byte[][] resources = {unusualResource(1), unusualResource(2), unusualResource(3)};
    try {
      for (byte[] r : resources) {
        assertThat(first.consume(wireTraces(r)).get(10, TimeUnit.SECONDS)).isEqualTo(ConsumeResult.ACCEPTED);
      }
      // Taken means on disk: one file per request.
      try (var files = java.nio.file.Files.list(dir)) {
        assertThat(files.filter(p -> p.toString().endsWith(".batch")).count()).isEqualTo(3);
      }
    } finally {
      first.close(); // the peer still refuses: everything stays queued
    }
    assertThat(peer.received).isEmpty();
    // A damaged file is set aside, not sent, and does not stop the rest.
    java.nio.file.Files.write(dir.resolve("00000000000000000099.batch"), new byte[] {1, 2, 3});

    peer.answer = b -> CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
    Exporter<Traces> second = exporter(type, Signal.TRACES, config);
    try {
      while (peer.received.size() < 3) {
        Thread.sleep(10);
      }
    } finally {
      second.close();
    }
    assertThat(peer.received).extracting(t -> ((Traces) t).wireResources().get(0))
        .containsExactly(resources[0], resources[1], resources[2]);
    try (var files = java.nio.file.Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("00000000000000000099.batch.corrupt");
    }
  }

  /**
   * The server closes its pipelines on a common-pool thread, of which a two-core machine has one; the JDK's HTTP
   * client completes sendAsync there, so an exporter waiting on it would never finish closing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void closingOnTheCommonPoolWithThePeerDownFinishes(String type) throws Exception {
    Exporter<Logs> e = exporter(type, Signal.LOGS, "  sending_queue: {storage: file_storage}\n"
        + "  retry_on_failure: {initial_interval: 100ms, max_interval: 500ms}\n");
    peer.close();
    for (int i = 0; i < 10; i++) {
      e.consume(TestData.logs(i, 1)).get(10, TimeUnit.SECONDS);
    }
    Thread.sleep(300); // let the sends fail and wait for their retries
    // A bound against a hang, not a timing check.
    CompletableFuture.runAsync(() -> {
      try {
        e.close();
      } catch (Exception x) {
        throw new IllegalStateException(x);
      }
    }).get(60, TimeUnit.SECONDS);
    try (var files = java.nio.file.Files.list(dataDir.resolve("exporters/" + type + "/logs"))) {
      assertThat(files.count()).as("all ten stay queued for the next run").isEqualTo(10);
    }
    peer = new OtlpPeer(host); // for @AfterEach
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> parse("otlp", "otlp: {}\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("requires a non-empty \"endpoint\"");
    assertThatThrownBy(() -> parse("otlp", "otlp: {endpoint: \"collector:4317\"}\n"))
        .hasMessageContaining("not supported yet: TLS to \"collector:4317\"");
    assertThatThrownBy(() -> parse("otlp", "otlp: {endpoint: \"http://c:4317\", compression: zstd}\n"))
        .hasMessageContaining("not supported yet: compression \"zstd\"");
    assertThatThrownBy(() -> parse("otlp", "otlp: {endpoint: \"http://c:4317\", sending_queue: {batch: {}}}\n"))
        .hasMessageContaining("not supported yet: batch");
    assertThatThrownBy(() -> parse("otlp", "otlp: {endpoint: \"http://c:4317\", sending_queue: {queue_size: 0}}\n"))
        .hasMessageContaining("`queue_size` must be positive");
    assertThatThrownBy(() -> parse("otlp",
        "otlp: {endpoint: \"http://c:4317\", retry_on_failure: {randomization_factor: 2}}\n"))
        .hasMessageContaining("'randomization_factor' must be within [0, 1]");
    assertThatThrownBy(() -> parse("otlp", "otlp: {endpoint: \"http://c:4317\", tls: {ca_file: x}}\n"))
        .hasMessageContaining("not supported yet: ca_file");
    assertThatThrownBy(() -> parse("otlphttp", "otlphttp: {}\n"))
        .hasMessageContaining("at least one endpoint must be specified");
    assertThatThrownBy(() -> parse("otlphttp", "otlphttp: {endpoint: \"https://c:4318\"}\n"))
        .hasMessageContaining("not supported yet: TLS");
    assertThatThrownBy(() -> parse("otlphttp", "otlphttp: {endpoint: \"http://c:4318\", encoding: xml}\n"))
        .hasMessageContaining("invalid encoding type: xml");
    assertThatThrownBy(() -> parse("otlphttp", "otlphttp: {endpoint: \"http://c:4318\", endpont: x}\n"))
        .hasMessageContaining("endpont");
  }

  @Test
  void otlpHttpJoinsTheSignalPaths() {
    var c = (OtlpHttpExporterFactory.Config) parse("otlphttp",
        "otlphttp: {endpoint: \"http://c:4318/base/\", logs_endpoint: \"http://l:3100/otlp/v1/logs\"}\n");
    assertThat(c.urls().get(Signal.TRACES)).hasToString("http://c:4318/base/v1/traces");
    assertThat(c.urls().get(Signal.METRICS)).hasToString("http://c:4318/base/v1/metrics");
    assertThat(c.urls().get(Signal.LOGS)).hasToString("http://l:3100/otlp/v1/logs");
    assertThat(c.client().timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.client().gzip()).isTrue();
  }

  private static Object parse(String type, String yaml) {
    return factory(type).parseConfig(LOADER.parse("t.yaml", yaml).map(type));
  }

  private double counter(String name, String exporter) {
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals(name) && s instanceof CounterSnapshot c) {
        return c.getDataPoints().stream().filter(p -> exporter.equals(p.getLabels().get("exporter")))
            .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
      }
    }
    return 0;
  }

  private double gauge(String name, String exporter, String dataType) {
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals(name) && s instanceof GaugeSnapshot g) {
        return g.getDataPoints().stream().filter(p -> exporter.equals(p.getLabels().get("exporter"))
            && dataType.equals(p.getLabels().get("data_type")))
            .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).sum();
      }
    }
    return Double.NaN;
  }

}

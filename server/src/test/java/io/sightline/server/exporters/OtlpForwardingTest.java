package io.sightline.server.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Traces;
import io.sightline.server.Sightline;
import io.sightline.server.config.ConfigSources;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One Sightline forwards to another with its {@code otlp} or {@code otlphttp} exporter, as a Collector in front of
 * a backend. The receiving server is stopped mid-stream and started again on the same ports and data directory:
 * everything the first server acknowledged to its clients reaches the second (its queue keeps the batches, its retries
 * wait for the peer), and the spans arrive in exactly the bytes they were sent in.
 */
class OtlpForwardingTest {
  private static final int REQUESTS = 30;
  private static final int STOP_AT = 10;
  private static final int RESTART_AT = 20;
  private static final String BACKEND = """
      exporters:
        recording: {}
      service:
        pipelines:
          traces:  {receivers: [otlp], exporters: [recording]}
          metrics: {receivers: [otlp], exporters: [sightline, recording]}
          logs:    {receivers: [otlp], exporters: [recording]}
      """;
  private static final String FORWARDER = """
      exporters:
        otlp/backend:
          endpoint: "127.0.0.1:%1$d"
          tls: {insecure: true}
          retry_on_failure: {initial_interval: 100ms, max_interval: 500ms}
        otlphttp/backend:
          endpoint: "http://127.0.0.1:%2$d"
          retry_on_failure: {initial_interval: 100ms, max_interval: 500ms}
      service:
        pipelines:
          traces:  {receivers: [otlp], processors: [batch], exporters: [%3$s/backend]}
          metrics: {receivers: [otlp], processors: [batch], exporters: [%3$s/backend]}
          logs:    {receivers: [otlp], processors: [batch], exporters: [%3$s/backend]}
      """;

  @TempDir
  Path forwarderData;
  @TempDir
  Path backendData;

  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void everythingAcknowledgedArrivesAcrossARestartOfTheBackend(String exporter) throws Exception {
    int grpcPort = freePort();
    int httpPort = freePort();
    RecordingExporterFactory received = new RecordingExporterFactory();
    Sightline backend = startBackend(grpcPort, httpPort, received);
    Sightline forwarder = TestServers.start(FORWARDER.formatted(grpcPort, httpPort, exporter), forwarderData,
        new RecordingExporterFactory());
    Set<String> sentResources = new LinkedHashSet<>();
    Set<String> sentLogs = new HashSet<>();
    try {
      int port = forwarder.receiverPorts("otlp").get("http");
      for (int i = 0; i < REQUESTS; i++) {
        if (i == STOP_AT) {
          backend.close();
        }
        if (i == RESTART_AT) {
          backend = startBackend(grpcPort, httpPort, received);
        }
        byte[] resource = unusualResource(i);
        post(port, "/v1/traces", request(resource));
        sentResources.add(Base64.getEncoder().encodeToString(resource));
        post(port, "/v1/metrics", metrics(i).toByteArray());
        post(port, "/v1/logs", logs(i).toByteArray());
        sentLogs.add("log-" + i);
      }
      received.awaitItems(Signal.LOGS, REQUESTS, Duration.ofSeconds(60));
      received.awaitItems(Signal.TRACES, REQUESTS, Duration.ofSeconds(60));
      received.awaitItems(Signal.METRICS, REQUESTS, Duration.ofSeconds(60));

      Set<String> arrived = new HashSet<>();
      for (Traces t : received.traces()) {
        assertThat(t.wireResources()).as("the backend's receiver kept the wire encoding").isNotNull();
        t.wireResources().forEach(r -> arrived.add(Base64.getEncoder().encodeToString(r)));
      }
      assertThat(arrived).as("spans, byte for byte").containsExactlyInAnyOrderElementsOf(sentResources);
      Set<String> logs = new HashSet<>();
      received.logRecords().forEach(r -> logs.add(r.getBody().getStringValue()));
      assertThat(logs).containsExactlyInAnyOrderElementsOf(sentLogs);

      // The backend's metric store has every point, those taken before the restart replayed from its WAL.
      JsonNode result = TestServers.getJson(http, backend.httpPort(), "/api/v1/query", "query",
          "count(forwarded_gauge{job=\"forwarder-test\"})").path("data").path("result");
      assertThat(result.path(0).path("value").path(1).asText()).isEqualTo(Integer.toString(REQUESTS));
    } finally {
      forwarder.close();
      backend.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"otlp", "otlphttp"})
  void aPersistentQueueKeepsWhatWasAcknowledgedAcrossARestartOfTheForwarder(String exporter) throws Exception {
    int grpcPort = freePort();
    int httpPort = freePort();
    String config = FORWARDER.formatted(grpcPort, httpPort, exporter)
        .replace("  retry_on_failure:", "  sending_queue: {storage: file_storage}\n    retry_on_failure:");
    // The backend is down: the forwarder acknowledges what it has written to its queue's files.
    Sightline forwarder = TestServers.start(config, forwarderData, new RecordingExporterFactory());
    Set<String> sentResources = new LinkedHashSet<>();
    try {
      int port = forwarder.receiverPorts("otlp").get("http");
      for (int i = 0; i < 10; i++) {
        byte[] resource = unusualResource(i);
        post(port, "/v1/traces", request(resource));
        sentResources.add(Base64.getEncoder().encodeToString(resource));
        post(port, "/v1/logs", logs(i).toByteArray());
      }
    } finally {
      forwarder.close();
    }
    RecordingExporterFactory received = new RecordingExporterFactory();
    Sightline backend = startBackend(grpcPort, httpPort, received);
    forwarder = TestServers.start(config, forwarderData, new RecordingExporterFactory());
    try {
      received.awaitItems(Signal.TRACES, 10, Duration.ofSeconds(60));
      received.awaitItems(Signal.LOGS, 10, Duration.ofSeconds(60));
      Set<String> arrived = new HashSet<>();
      received.traces().forEach(t -> t.wireResources().forEach(r -> arrived.add(Base64.getEncoder()
          .encodeToString(r))));
      assertThat(arrived).containsExactlyInAnyOrderElementsOf(sentResources);
    } finally {
      forwarder.close();
      backend.close();
    }
  }

  private Sightline startBackend(int grpcPort, int httpPort, RecordingExporterFactory recording) throws Exception {
    ConfigMap config = TestServers.config(BACKEND, backendData);
    ConfigSources sources = new ConfigSources(new YamlConfigLoader(k -> null));
    config = sources.set(config, "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + grpcPort);
    config = sources.set(config, "receivers.otlp.protocols.http.endpoint=127.0.0.1:" + httpPort);
    return Sightline.builder(config).exporter(recording).build().start();
  }

  private void post(int port, String path, byte[] body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
  }

  /**
   * A resource whose one span has its fields out of protobuf's order (name before the ids, as another SDK may write
   * them), so that a span encoded again on the way would not come out the same.
   */
  private static byte[] unusualResource(int n) throws IOException {
    long now = System.currentTimeMillis() * 1_000_000L;
    ByteArrayOutputStream span = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(span);
    s.writeString(5, "span-" + n);
    s.writeFixed64(8, now + 1_000_000);
    s.writeFixed64(7, now);
    s.writeBytes(2, ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) n}));
    s.writeBytes(1, ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, (byte) n}));
    s.flush();
    ByteArrayOutputStream scope = new ByteArrayOutputStream();
    CodedOutputStream sc = CodedOutputStream.newInstance(scope);
    sc.writeByteArray(2, span.toByteArray());
    sc.flush();
    ByteArrayOutputStream resource = new ByteArrayOutputStream();
    CodedOutputStream r = CodedOutputStream.newInstance(resource);
    r.writeMessage(1, Resource.newBuilder().addAttributes(attr("service.name", "forwarder-test")).build());
    r.writeByteArray(2, scope.toByteArray());
    r.flush();
    return resource.toByteArray();
  }

  private static byte[] request(byte[] resource) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(1, resource);
    o.flush();
    return out.toByteArray();
  }

  private static ExportMetricsServiceRequest metrics(int n) {
    NumberDataPoint point = NumberDataPoint.newBuilder().setAsDouble(n).addAttributes(attr("n", "n" + n))
        .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "forwarder-test")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("forwarded.gauge")
            .setGauge(Gauge.newBuilder().addDataPoints(point))))).build();
  }

  private static ExportLogsServiceRequest logs(int n) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "forwarder-test")))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
            .setBody(AnyValue.newBuilder().setStringValue("log-" + n))))).build();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

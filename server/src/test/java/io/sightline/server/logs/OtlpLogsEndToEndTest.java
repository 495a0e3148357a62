package io.sightline.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenTelemetry Java SDK's log exporters send records with trace context, over OTLP/gRPC and OTLP/HTTP to the
 * OTLP receiver (through the default logs pipeline) and over OTLP/HTTP to Loki's own {@code /otlp/v1/logs}; each
 * record is stored as Loki 3 maps it: the promoted resource attributes as stream labels, the rest of the resource,
 * the scope, the record's attributes, severity and trace context as structured metadata.
 */
class OtlpLogsEndToEndTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  @TempDir
  Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http", "loki"})
  void recordsWithTraceContextAreStoredAsLokiMapsThem(String transport) throws Exception {
    try (Sightline server = TestServers.start("", dataDir, new RecordingExporterFactory())) {
      LogRecordExporter exporter = switch (transport) {
        case "grpc" -> OtlpGrpcLogRecordExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc")).build();
        case "http" -> OtlpHttpLogRecordExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("http") + "/v1/logs").build();
        default -> OtlpHttpLogRecordExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.httpPort() + "/otlp/v1/logs").build();
      };
      Resource resource = Resource.getDefault().merge(Resource.builder().put("service.name", "checkout")
          .put("service.namespace", "shop").put("deployment.environment", "prod").put("host.name", "h1").build());
      Instant at = Instant.now().minusSeconds(5);
      try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(resource)
          .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
        Logger logger = provider.get("checkout.payments");
        Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
        try (Scope ignored = span.makeCurrent()) {
          logger.logRecordBuilder().setTimestamp(at).setSeverity(Severity.WARN).setSeverityText("WARN")
              .setBody("payment retried for order 42").setAttribute(AttributeKey.stringKey("order.id"), "42")
              .emit();
        }
        logger.logRecordBuilder().setTimestamp(at.plusMillis(1)).setSeverity(Severity.INFO)
            .setBody("no trace here").emit();
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      }

      List<StoredLines> stored = awaitLines(server, 2);
      Labels stream = Labels.of("deployment_environment", "prod", "service_name", "checkout", "service_namespace",
          "shop");
      assertThat(stored).extracting(StoredLines::stream).containsOnly(stream);
      StoredLines traced = stored.get(0);
      assertThat(traced.line()).isEqualTo("payment retried for order 42");
      assertThat(traced.timestampNanos()).isEqualTo(at.getEpochSecond() * 1_000_000_000L + at.getNano());
      Labels m = traced.metadata();
      assertThat(m.get("trace_id")).isEqualTo(TRACE_ID);
      assertThat(m.get("span_id")).isEqualTo(SPAN_ID);
      assertThat(m.get("flags")).isEqualTo("1");
      assertThat(m.get("severity_text")).isEqualTo("WARN");
      assertThat(m.get("severity_number")).isEqualTo("13");
      assertThat(m.get("detected_level")).isEqualTo("warn");
      assertThat(m.get("order_id")).isEqualTo("42");
      assertThat(m.get("scope_name")).isEqualTo("checkout.payments");
      assertThat(m.get("host_name")).isEqualTo("h1");
      assertThat(m.get("telemetry_sdk_language")).isEqualTo("java");

      StoredLines untraced = stored.get(1);
      assertThat(untraced.line()).isEqualTo("no trace here");
      assertThat(untraced.metadata().get("trace_id")).as("no trace_id for a record without trace context").isEmpty();
      assertThat(untraced.metadata().get("detected_level")).isEqualTo("info");

      // A store query on the stream's labels finds exactly these lines.
      assertThat(StoredLines.all(server.logStore(), LabelMatcher.equal("service_name", "checkout"))).hasSize(2);
      assertThat(StoredLines.all(server.logStore(), LabelMatcher.equal("service_name", "cart"))).isEmpty();

      // LogQL on the trace id, through Loki's API, finds the traced line; Loki 3's categorized encoding keeps the
      // structured metadata apart from the stream's labels.
      JsonNode result = TestServers.getJson(http, server.httpPort(), "/loki/api/v1/query_range", "query",
          "{service_name=\"checkout\"} | trace_id=\"" + TRACE_ID + "\"", "start",
          Long.toString(at.getEpochSecond() - 60), "end", Long.toString(at.getEpochSecond() + 60)).path("data");
      assertThat(result.path("resultType").asText()).isEqualTo("streams");
      assertThat(result.path("result")).hasSize(1);
      JsonNode entry = result.path("result").get(0);
      assertThat(entry.path("stream").path("service_name").asText()).isEqualTo("checkout");
      assertThat(entry.path("stream").path("trace_id").asText()).isEqualTo(TRACE_ID);
      assertThat(entry.path("values")).hasSize(1);
      assertThat(entry.path("values").get(0).get(1).asText()).isEqualTo("payment retried for order 42");

      HttpResponse<String> categorized = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + server.httpPort() + "/loki/api/v1/query_range?query=" + URLEncoder.encode("{service_name=\"checkout\"}"
          + " | trace_id=\"" + TRACE_ID + "\"", StandardCharsets.UTF_8) + "&start=" + (at.getEpochSecond() - 60)
          + "&end=" + (at.getEpochSecond() + 60))).header("X-Loki-Response-Encoding-Flags", "categorize-labels")
          .build(), HttpResponse.BodyHandlers.ofString());
      JsonNode value = new ObjectMapper().readTree(categorized.body()).path("data").path("result").get(0)
          .path("values").get(0);
      assertThat(value.get(2).path("structuredMetadata").path("trace_id").asText()).isEqualTo(TRACE_ID);
    }
  }

  /** The pipeline's batch processor holds records for up to its timeout before the store has them. */
  private static List<StoredLines> awaitLines(Sightline server, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<StoredLines> stored = StoredLines.all(server.logStore());
    while (stored.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
      stored = StoredLines.all(server.logStore());
    }
    assertThat(stored).hasSize(count);
    return stored;
  }
}

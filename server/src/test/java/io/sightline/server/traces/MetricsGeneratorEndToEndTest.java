package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK sends one trace through two services over OTLP/gRPC to a server with the default
 * pipelines; the metrics generator turns the stored spans into Tempo's span metrics and service graph series, and
 * the Prometheus API answers for them, exemplars with the trace id included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsGeneratorEndToEndTest {
  /** Long enough for any query below to see a collection, short enough for a slow shared machine. */
  private static final long DEADLINE_NANOS = 15_000_000_000L;

  @TempDir
  static Path dataDir;
  private Sightline server;
  private final HttpClient http = HttpClient.newHttpClient();
  private String traceId;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start("""
        metrics_generator:
          registry:
            collection_interval: 200ms
          processor:
            service_graphs:
              wait: 1s
        """, dataDir, new RecordingExporterFactory());
    traceId = ShopTrace.send("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc"));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** The instant vector of {@code promql}, once it has {@code size} elements (the generator writes periodically). */
  private JsonNode vector(String promql, int size) throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    JsonNode result;
    do {
      result = TestServers.getJson(http, server.httpPort(), "/api/v1/query", "query", promql).path("data")
          .path("result");
      if (result.size() >= size) {
        return result;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(promql + " gave " + result + ", not " + size + " elements in time");
  }

  private double value(String promql) throws Exception {
    JsonNode r = vector(promql, 1);
    assertThat(r).as(promql).hasSize(1);
    return Double.parseDouble(r.get(0).path("value").get(1).asText());
  }

  @Test
  void spanMetricsPerServiceSpanKindAndStatus() throws Exception {
    JsonNode charge = vector("traces_spanmetrics_calls_total{service=\"payment-service\",span_name=\"charge\","
        + "span_kind=\"SPAN_KIND_SERVER\",status_code=\"STATUS_CODE_ERROR\"}", 1);
    assertThat(charge).hasSize(1);
    assertThat(charge.get(0).path("value").get(1).asText()).isEqualTo("1");
    List<String> labels = new ArrayList<>();
    charge.get(0).path("metric").fieldNames().forEachRemaining(labels::add);
    assertThat(labels).containsExactlyInAnyOrder("__name__", "service", "span_name", "span_kind", "status_code");
    assertThat(value("traces_spanmetrics_calls_total{service=\"order-service\",span_name=\"POST /orders\","
        + "span_kind=\"SPAN_KIND_SERVER\",status_code=\"STATUS_CODE_UNSET\"}")).isEqualTo(1);
    assertThat(value("traces_spanmetrics_calls_total{service=\"order-service\",span_name=\"POST /pay\","
        + "span_kind=\"SPAN_KIND_CLIENT\"}")).isEqualTo(1);
    assertThat(value("sum(traces_spanmetrics_calls_total)")).isEqualTo(4);
    assertThat(value("traces_spanmetrics_size_total{span_name=\"charge\"}")).isPositive();
  }

  @Test
  void latencyHistogramsHaveTempoBucketsAndTraceIdExemplars() throws Exception {
    JsonNode buckets = vector("traces_spanmetrics_latency_bucket{service=\"payment-service\",span_name=\"charge\"}",
        15);
    List<String> le = new ArrayList<>();
    buckets.forEach(b -> le.add(b.path("metric").path("le").asText()));
    assertThat(le).containsExactlyInAnyOrder("0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256",
        "0.512", "1.024", "2.048", "4.096", "8.192", "16.384", "+Inf");
    assertThat(value("traces_spanmetrics_latency_bucket{span_name=\"charge\",le=\"+Inf\"}")).isEqualTo(1);
    assertThat(value("traces_spanmetrics_latency_count{span_name=\"charge\"}")).isEqualTo(1);
    assertThat(vector("traces_service_graph_request_server_seconds_bucket{client=\"order-service\"}", 9)).hasSize(9);

    long now = System.currentTimeMillis() / 1000;
    JsonNode exemplars = TestServers.getJson(http, server.httpPort(), "/api/v1/query_exemplars", "query",
        "traces_spanmetrics_latency_bucket{span_name=\"charge\"}", "start", Long.toString(now - 600), "end",
        Long.toString(now + 600)).path("data");
    assertThat(exemplars).hasSize(1);
    assertThat(exemplars.get(0).path("exemplars")).hasSize(1);
    assertThat(exemplars.get(0).path("exemplars").get(0).path("labels").path("traceID").asText())
        .isEqualTo(traceId);
  }

  @Test
  void serviceGraphEdgesDatabaseAndVirtualClient() throws Exception {
    assertThat(value("traces_service_graph_request_total{client=\"order-service\",server=\"payment-service\"}"))
        .isEqualTo(1);
    assertThat(value("traces_service_graph_request_failed_total{client=\"order-service\","
        + "server=\"payment-service\"}")).isEqualTo(1);
    assertThat(value("traces_service_graph_request_total{client=\"payment-service\",server=\"postgresql\","
        + "connection_type=\"database\"}")).isEqualTo(1);
    // The root span has no client: after wait (1s) it becomes a call from the virtual node "user".
    assertThat(value("traces_service_graph_request_total{client=\"user\",server=\"order-service\","
        + "connection_type=\"virtual_node\"}")).isEqualTo(1);
  }

  @Test
  void generatorMetricsAreOnTheMetricsEndpoint() throws Exception {
    vector("traces_spanmetrics_calls_total", 4);
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).containsPattern("(?m)^sightline_metrics_generator_active_series [1-9]")
        .contains("sightline_metrics_generator_series_limited_total 0");
  }
}

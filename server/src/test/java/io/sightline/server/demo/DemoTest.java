package io.sightline.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.core.model.LabelMatcher;
import io.sightline.demo.Shop;
import io.sightline.demo.ShopOptions;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.SelectRequest;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as {@code sightline demo} runs it: the server on a clean data directory, the shop exporting to it and the
 * traffic generator sending orders. Within 60 seconds all three signals are queryable through the Prometheus,
 * Tempo, Jaeger and Loki ways in, and a latency exemplar's trace id leads to a trace whose spans have logs with that
 * trace id.
 */
class DemoTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final List<String> SERVICES = List.of("order-service", "inventory-service", "payment-service");

  @TempDir
  Path dataDir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final long deadline = System.nanoTime() + DEADLINE.toNanos();

  @Test
  void allThreeSignalsAreQueryableAndLinkedWithinAMinute() throws Exception {
    try (Sightline server = TestServers.start("""
        metrics_generator:
          registry: {collection_interval: 1s}
          processor: {service_graphs: {wait: 1s}}
        """, dataDir, new RecordingExporterFactory());
        Shop shop = Shop.start(ShopOptions.defaults().withOrderPort(0).withOrdersPerSecond(20)
            .withExportInterval(Duration.ofSeconds(1))
            .withOtlpEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("http")))) {
      int port = server.httpPort();

      // Metrics: the SDK's histograms and the shop's business counter, one job per service.
      JsonNode jobs = until(() -> query(port, "sum by (job) (http_server_request_duration_seconds_count)"),
          r -> r.size() == 3);
      Set<String> jobNames = new HashSet<>();
      jobs.forEach(j -> jobNames.add(j.path("metric").path("job").asText()));
      assertThat(jobNames).containsExactlyInAnyOrder("shop/order-service", "shop/inventory-service",
          "shop/payment-service");
      until(() -> query(port, "sum(orders_created_total)"), r -> r.size() == 1);
      // Span metrics and the service graph, from the spans, with the gateway as a virtual node.
      until(() -> query(port, "traces_service_graph_request_total{client=\"order-service\","
          + "server=\"payment-service\"}"), r -> r.size() == 1);
      until(() -> query(port, "traces_spanmetrics_calls_total{service=\"inventory-service\"}"), r -> r.size() >= 1);

      // An exemplar of the order service's latency histogram for created orders names a trace.
      JsonNode exemplars = until(() -> get(port, "/api/v1/query_exemplars", "query",
          "http_server_request_duration_seconds_bucket{job=\"shop/order-service\",http_route=\"/orders\","
              + "http_response_status_code=\"201\"}", "start",
          Long.toString(System.currentTimeMillis() / 1000 - 600), "end",
          Long.toString(System.currentTimeMillis() / 1000 + 60)).path("data"), d -> d.size() > 0);
      String traceId = exemplars.get(0).path("exemplars").get(0).path("labels").path("trace_id").asText();
      assertThat(traceId).hasSize(32);

      // Tempo's API has that trace with the spans of all three services.
      JsonNode trace = until(() -> getOrNull(port, "/api/traces/" + traceId), t -> t != null
          && services(t).containsAll(SERVICES));
      assertThat(services(trace)).containsAll(SERVICES);
      // Jaeger's API knows the services.
      JsonNode jaeger = until(() -> get(port, "/jaeger/api/services"), s -> s.path("data").size() >= 3);
      List<String> jaegerServices = new ArrayList<>();
      jaeger.path("data").forEach(s -> jaegerServices.add(s.asText()));
      assertThat(jaegerServices).containsAll(SERVICES);

      // The trace's spans have logs with its trace id, in the log store and through Loki's API.
      List<String> lines = until(() -> linesOfTrace(server, traceId), l -> l.size() >= 3);
      assertThat(lines).anyMatch(l -> l.contains("\"msg\":\"items reserved\""));
      assertThat(lines).anyMatch(l -> l.contains("payment"));
      JsonNode streams = get(port, "/loki/api/v1/query_range", "query", "{service_name=~\".+\"} | trace_id=\""
          + traceId + "\"", "since", "10m").path("data").path("result");
      Set<String> logServices = new HashSet<>();
      streams.forEach(s -> logServices.add(s.path("stream").path("service_name").asText()));
      assertThat(logServices).containsAll(SERVICES);
      // The seed's LogQL query: declined payments, parsed from the JSON lines.
      until(() -> get(port, "/loki/api/v1/query_range", "query", "{service_name=\"payment-service\"} | json"
          + " | error_type = \"InsufficientFunds\"", "since", "10m").path("data").path("result"), r -> r.size() > 0);
    }
  }

  private List<String> linesOfTrace(Sightline server, String traceId) throws Exception {
    List<String> lines = new ArrayList<>();
    try (EntryIterator it = server.logStore().querier().select(new SelectRequest(List.of(
        LabelMatcher.regex("service_name", ".+")), 0, Long.MAX_VALUE, SelectRequest.Direction.FORWARD,
        LineFilterHint.NONE))) {
      while (it.next()) {
        if (traceId.equals(it.structuredMetadata().get("trace_id"))) {
          lines.add(new String(it.lineBuffer(), it.lineOffset(), it.lineLength(), StandardCharsets.UTF_8));
        }
      }
    }
    return lines;
  }

  private static Set<String> services(JsonNode otlpTrace) {
    Set<String> out = new HashSet<>();
    for (JsonNode rs : otlpTrace.path("batches").isMissingNode() ? otlpTrace.path("resourceSpans")
        : otlpTrace.path("batches")) {
      for (JsonNode a : rs.path("resource").path("attributes")) {
        if (a.path("key").asText().equals("service.name")) {
          out.add(a.path("value").path("stringValue").asText());
        }
      }
    }
    return out;
  }

  private JsonNode query(int port, String promql) throws Exception {
    return get(port, "/api/v1/query", "query", promql).path("data").path("result");
  }

  private JsonNode get(int port, String path, String... params) throws Exception {
    JsonNode node = getOrNull(port, path, params);
    assertThat(node).as("GET %s", path).isNotNull();
    return node;
  }

  private JsonNode getOrNull(int port, String path, String... params) throws Exception {
    StringBuilder uri = new StringBuilder("http://127.0.0.1:" + port + path);
    for (int i = 0; i < params.length; i += 2) {
      uri.append(i == 0 ? '?' : '&').append(URLEncoder.encode(params[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? json.readTree(r.body()) : null;
  }

  /** Polls until {@code done} holds (the shop exports every second), failing at the test's one-minute deadline. */
  private <T> T until(Callable<T> read, Predicate<T> done) throws Exception {
    T value = read.call();
    while (!done.test(value)) {
      assertThat(System.nanoTime()).as("in time; last read: %s", value).isLessThan(deadline);
      Thread.sleep(250);
      value = read.call();
    }
    return value;
  }
}

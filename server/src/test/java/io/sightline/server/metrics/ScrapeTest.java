package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sightline scraping a live exporter over HTTP, checked through its own Prometheus API: target labels and relabeling,
 * honor_labels conflicts, metric relabeling, report series, metadata, staleness, a failing target, basic auth, and
 * OpenMetrics exemplars.
 */
class ScrapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP_METRICS = """
      # HELP requests_total Requests served.
      # TYPE requests_total counter
      requests_total{path="/a",job="inner"} 10
      requests_total{path="/b"} 20
      dropped_metric 1
      temperature 21.5
      """;
  private static final String OPENMETRICS = """
      # TYPE rpc_seconds histogram
      # HELP rpc_seconds RPC latency.
      rpc_seconds_bucket{le="0.1"} 1 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 0.05 1700000000.5
      rpc_seconds_bucket{le="+Inf"} 2
      rpc_seconds_count 2
      rpc_seconds_sum 0.3
      # EOF
      """;

  @TempDir
  Path dataDir;
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicReference<String> appBody = new AtomicReference<>(APP_METRICS);
  private final AtomicInteger appStatus = new AtomicInteger(200);
  private Server exporter;
  private Sightline sightline;

  @BeforeEach
  void start() throws Exception {
    exporter = Server.builder().http(0)
        .service("/metrics", (ctx, req) -> {
          String auth = req.headers().get("authorization", "");
          if (!auth.equals("Basic dTpw")) { // u:p
            return HttpResponse.of(HttpStatus.UNAUTHORIZED);
          }
          return HttpResponse.of(HttpStatus.valueOf(appStatus.get()), MediaType.parse("text/plain; version=0.0.4"),
              appBody.get());
        })
        .service("/om", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
            MediaType.parse("application/openmetrics-text; version=1.0.0; charset=utf-8"), OPENMETRICS))
        .build();
    exporter.start().join();
    int port = exporter.activeLocalPort();
    sightline = TestServers.start("""
        scrape:
          global:
            scrape_interval: 300ms
          scrape_configs:
            - job_name: app
              basic_auth: {username: u, password: p}
              static_configs:
                - targets: ["127.0.0.1:%d"]
                  labels: {env: test}
              relabel_configs:
                - source_labels: [__address__]
                  regex: "([^:]+):.*"
                  target_label: host
              metric_relabel_configs:
                - source_labels: [__name__]
                  regex: dropped_.*
                  action: drop
            - job_name: om
              metrics_path: /om
              static_configs:
                - targets: ["127.0.0.1:%d"]
        """.formatted(port, port), dataDir, new RecordingExporterFactory());
  }

  @AfterEach
  void stop() {
    sightline.close();
    exporter.stop().join();
  }

  @Test
  void scrapedSeriesCarryTargetLabelsAndTheReportSeries() throws Exception {
    String instance = "127.0.0.1:" + exporter.activeLocalPort();
    // The first scrapes may time out while the JVMs warm up (300 ms interval, so 300 ms timeout): wait for a good one.
    JsonNode up = await("up{job=\"app\"}", r -> r.size() == 1 && r.get(0).get("value").get(1).asText().equals("1"));
    assertThat(up.get(0).get("metric").toString()).isEqualTo("{\"__name__\":\"up\",\"env\":\"test\","
        + "\"host\":\"127.0.0.1\",\"instance\":\"" + instance + "\",\"job\":\"app\"}");
    assertThat(up.get(0).get("value").get(1).asText()).isEqualTo("1");

    JsonNode requests = await("requests_total", r -> r.size() == 2);
    // The target's job wins; the exposed one is kept as exported_job.
    assertThat(requests.get(0).get("metric").get("exported_job").asText()).isEqualTo("inner");
    assertThat(requests.get(0).get("metric").get("job").asText()).isEqualTo("app");
    assertThat(requests.get(0).get("value").get(1).asText()).isEqualTo("10");
    assertThat(query("dropped_metric")).isEmpty();
    assertThat(query("scrape_samples_scraped{job=\"app\"}").get(0).get("value").get(1).asText()).isEqualTo("4");
    assertThat(query("scrape_samples_post_metric_relabeling{job=\"app\"}").get(0).get("value").get(1).asText())
        .isEqualTo("3");
    assertThat(query("scrape_duration_seconds{job=\"app\"}")).hasSize(1);
    assertThat(query("scrape_series_added{job=\"app\"}")).hasSize(1);

    JsonNode metadata = get("/api/v1/metadata?metric=requests_total").get("data");
    assertThat(metadata.toString()).isEqualTo("{\"requests_total\":[{\"type\":\"counter\",\"help\":\"Requests served.\","
        + "\"unit\":\"\"}]}");
    JsonNode targets = get("/api/v1/targets").get("data").get("activeTargets");
    assertThat(targets).hasSize(2);
    JsonNode app = targets.get(0).get("scrapePool").asText().equals("app") ? targets.get(0) : targets.get(1);
    assertThat(app.get("health").asText()).isEqualTo("up");
    assertThat(app.get("scrapeUrl").asText()).isEqualTo("http://" + instance + "/metrics");
    assertThat(app.get("labels").toString()).isEqualTo("{\"env\":\"test\",\"host\":\"127.0.0.1\",\"instance\":\""
        + instance + "\",\"job\":\"app\"}");
    assertThat(app.get("discoveredLabels").get("__address__").asText()).isEqualTo(instance);
    assertThat(app.get("scrapeInterval").asText()).isEqualTo("300ms");
    assertThat(get("/api/v1/scrape_pools").get("data").toString()).isEqualTo("{\"scrapePools\":[\"app\",\"om\"]}");
    JsonNode targetMetadata = get("/api/v1/targets/metadata?match_target="
        + URLEncoder.encode("{job=\"app\"}", StandardCharsets.UTF_8) + "&metric=requests_total").get("data");
    assertThat(targetMetadata).hasSize(1);
    assertThat(targetMetadata.get(0).get("type").asText()).isEqualTo("counter");
    assertThat(targetMetadata.get(0).get("target").get("instance").asText()).isEqualTo(instance);
  }

  @Test
  void aSeriesThatDisappearsGoesStaleAndAFailingTargetIsDown() throws Exception {
    await("temperature", r -> r.size() == 1);
    appBody.set(APP_METRICS.replace("temperature 21.5\n", ""));
    await("temperature", r -> r.size() == 0); // the staleness marker ends it at once, not after 5 minutes
    assertThat(query("requests_total")).hasSize(2);

    appStatus.set(500);
    await("up{job=\"app\"}", r -> r.size() == 1 && r.get(0).get("value").get(1).asText().equals("0"));
    await("requests_total", r -> r.size() == 0);
    JsonNode targets = get("/api/v1/targets?scrapePool=app").get("data").get("activeTargets");
    assertThat(targets).hasSize(1);
    assertThat(targets.get(0).get("health").asText()).isEqualTo("down");
    assertThat(targets.get(0).get("lastError").asText())
        .isEqualTo("server returned HTTP status 500 Internal Server Error");

    appStatus.set(200);
    await("up{job=\"app\"}", r -> r.size() == 1 && r.get(0).get("value").get(1).asText().equals("1"));
    await("requests_total", r -> r.size() == 2);
  }

  @Test
  void openMetricsExemplarsAreKept() throws Exception {
    await("rpc_seconds_count", r -> r.size() == 1);
    JsonNode exemplars = get("/api/v1/query_exemplars?query=rpc_seconds_bucket&start=1699999999&end="
        + (System.currentTimeMillis() / 1000 + 10)).get("data");
    assertThat(exemplars).hasSize(1);
    assertThat(exemplars.get(0).get("seriesLabels").get("le").asText()).isEqualTo("0.1");
    assertThat(exemplars.get(0).get("exemplars").get(0).get("labels").get("trace_id").asText())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(exemplars.get(0).get("exemplars").get(0).get("timestamp").asDouble()).isEqualTo(1700000000.5);
  }

  private JsonNode await(String selector, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    JsonNode result = query(selector);
    while (!done.test(result) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      result = query(selector);
    }
    assertThat(done.test(result)).as("%s reached the expected state; last result %s", selector, result).isTrue();
    return result;
  }

  private JsonNode query(String selector) throws Exception {
    return get("/api/v1/query?query=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)).get("data")
        .get("result");
  }

  private JsonNode get(String pathAndQuery) throws Exception {
    var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sightline.httpPort() + pathAndQuery))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}

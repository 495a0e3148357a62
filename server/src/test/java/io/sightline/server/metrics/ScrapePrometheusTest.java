package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.core.model.LabelMatcher;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus scrapes itself, and Sightline scrapes that same Prometheus with the same job: {@code promtool}
 * must then see the same series, label values and instant results in both, and the targets API the same shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScrapePrometheusTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  private Sightline sightline;
  private Process prometheus;
  private int prometheusPort;
  private long queryTimeMs;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL),
        "Debian package 'prometheus' (prometheus, promtool) is not installed (apt-get install prometheus)");
    try (ServerSocket s = new ServerSocket(0)) {
      prometheusPort = s.getLocalPort();
    }
    String scrape = """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: prometheus
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(prometheusPort);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, scrape);
    prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    sightline = TestServers.start("scrape:\n" + scrape.indent(2), dir.resolve("sightline"),
        new RecordingExporterFactory());
    // Both must have scraped before the moment the queries ask about.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && (sightline.metricStore().querier()
        .select(List.of(LabelMatcher.equal("__name__", "prometheus_build_info")), 0, Long.MAX_VALUE).isEmpty()
        || !hasBuildInfo(prometheusPort))) {
      Thread.sleep(200);
    }
    Thread.sleep(2000);
    queryTimeMs = System.currentTimeMillis() - 1000;
  }

  @AfterAll
  void stop() throws Exception {
    if (sightline != null) {
      sightline.close();
    }
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private String promtool(int port, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString(), "query", args[0], "http://127.0.0.1:" + port));
    cmd.addAll(List.of(args).subList(1, args.length));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool %s: %s", String.join(" ", cmd), out).isZero();
    return out;
  }

  @Test
  void theScrapedSeriesAreTheOnesPrometheusScrapes() throws Exception {
    String[] series = {"series", "--match=prometheus_build_info", "--match=up", "--match=scrape_duration_seconds",
        "--match=prometheus_http_requests_total{handler=\"/metrics\"}"};
    assertThat(promtool(sightline.httpPort(), series)).isEqualTo(promtool(prometheusPort, series))
        .contains("instance=\"127.0.0.1:" + prometheusPort + "\"");
    String[] jobs = {"labels", "job"};
    assertThat(promtool(sightline.httpPort(), jobs)).isEqualTo(promtool(prometheusPort, jobs));
    String time = Double.toString(queryTimeMs / 1000.0);
    for (String q : new String[] {"prometheus_build_info", "up"}) {
      String[] instant = {"instant", "--time=" + time, q};
      assertThat(promtool(sightline.httpPort(), instant)).isEqualTo(promtool(prometheusPort, instant));
    }
  }

  @Test
  void theTargetsApiHasPrometheusShape() throws Exception {
    JsonNode ours = target(sightline.httpPort());
    JsonNode theirs = target(prometheusPort);
    assertThat(fieldNames(ours)).containsAll(fieldNames(theirs));
    for (String field : new String[] {"labels", "scrapePool", "scrapeUrl", "health", "scrapeInterval",
        "scrapeTimeout"}) {
      assertThat(ours.get(field)).as(field).isEqualTo(theirs.get(field));
    }
  }

  private static boolean hasBuildInfo(int port) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + port + "/api/v1/query?query=prometheus_build_info")).build(), HttpResponse.BodyHandlers.ofString());
      return r.body().contains("\"version\"");
    } catch (Exception e) {
      return false;
    }
  }

  private static JsonNode target(int port) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + port + "/api/v1/targets")).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("data").get("activeTargets").get(0);
  }

  private static TreeSet<String> fieldNames(JsonNode n) {
    TreeSet<String> names = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}

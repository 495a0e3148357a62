package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sightline.core.model.LabelMatcher;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus scrapes itself and remote-writes into Sightline; then Debian's {@code promtool} asks both the
 * same questions (series, label values, an instant selector query) and must get the same answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromtoolTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

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
    sightline = TestServers.start("storage: {metrics: {max_labels_per_series: 40}}", dir.resolve("sightline"),
        new RecordingExporterFactory());
    prometheusPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: prometheus
            static_configs:
              - targets: ["127.0.0.1:%d"]
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
            queue_config: {batch_send_deadline: 200ms}
            metadata_config: {send: true, send_interval: 1s}
        """.formatted(prometheusPort, sightline.httpPort()));
    prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && sightline.metricStore().querier()
        .select(List.of(LabelMatcher.equal("__name__", "up")), 0, Long.MAX_VALUE).isEmpty()) {
      Thread.sleep(200);
    }
    // Let a few scrapes land in both, then ask about a moment that both have fully received.
    Thread.sleep(4000);
    queryTimeMs = System.currentTimeMillis() - 2000;
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
    if (sightline != null) {
      sightline.close();
    }
  }

  private String promtool(int port, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString(), "query"));
    cmd.add(args[0]);
    cmd.add("http://127.0.0.1:" + port);
    for (int i = 1; i < args.length; i++) {
      cmd.add(args[i]);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool %s: %s", String.join(" ", cmd), out).isZero();
    return out;
  }

  @Test
  void seriesMatchesPrometheus() throws Exception {
    String[] args = {"series", "--match=up", "--match=prometheus_build_info"};
    assertThat(promtool(sightline.httpPort(), args)).isEqualTo(promtool(prometheusPort, args)).contains("job=\"prometheus\"");
  }

  @Test
  void labelValuesMatchPrometheus() throws Exception {
    String[] args = {"labels", "job"};
    assertThat(promtool(sightline.httpPort(), args)).isEqualTo(promtool(prometheusPort, args)).contains("prometheus");
    String[] names = {"labels", "__name__", "--match=prometheus_build_info"};
    assertThat(promtool(sightline.httpPort(), names)).isEqualTo(promtool(prometheusPort, names));
  }

  @Test
  void instantSelectorMatchesPrometheus() throws Exception {
    String time = Double.toString(queryTimeMs / 1000.0);
    String[] args = {"instant", "--time=" + time, "prometheus_build_info"};
    String ours = promtool(sightline.httpPort(), args);
    assertThat(ours).isEqualTo(promtool(prometheusPort, args)).contains("prometheus_build_info{");
    String[] up = {"instant", "--time=" + time, "up{job=\"prometheus\"}"};
    assertThat(promtool(sightline.httpPort(), up)).isEqualTo(promtool(prometheusPort, up)).contains("=> 1 @");
  }

  @Test
  void errorsHaveThePrometheusEnvelope() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + sightline.httpPort() + "/api/v1/query?query=up%7B")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter "
        + "\\\"query\\\": 1:4: parse error:");
    HttpResponse<String> series = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + sightline.httpPort() + "/api/v1/series")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(series.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        + "\"no match[] parameter provided\"}");
  }

  @Test
  void metadataSentByRemoteWriteMatchesWhatPrometheusServes() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String path = "/api/v1/metadata?metric=prometheus_build_info";
    String ours = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && !ours.contains("\"type\"")) {
      ours = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sightline.httpPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Thread.sleep(300);
    }
    String theirs = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(ours).contains("\"type\":\"gauge\"").isEqualTo(theirs);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.wal.WalConfig;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.metricstore.head.Head;
import io.sightline.server.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus remote-writes its own metrics into a Sightline server running as its own process; the server
 * is killed with SIGKILL mid-stream, and every sample it had acknowledged is found when its WAL is replayed.
 */
class PrometheusRemoteWriteTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Pattern ACCEPTED = Pattern.compile("sightline_remote_write_samples_total\\{result=\"accepted\"} (\\S+)");

  @TempDir
  Path dir;

  @Test
  void samplesAcknowledgedBeforeAKill9AreAllThereAfterRestart() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "Debian package 'prometheus' is not installed (apt-get install prometheus)");
    int sightlinePort = freePort();
    int prometheusPort = freePort();
    Path data = dir.resolve("sightline-data");
    Path config = dir.resolve("sightline.yaml");
    Files.writeString(config, """
        server:
          http: {endpoint: "127.0.0.1:%d"}
          data_dir: %s
        storage:
          metrics:
            max_labels_per_series: 40
        receivers:
          otlp:
            protocols:
              http: {endpoint: "127.0.0.1:0"}
        exporters:
          nop: {}
        service:
          pipelines:
            metrics: {receivers: [otlp], exporters: [nop]}
        """.formatted(sightlinePort, data));
    Path promConfig = dir.resolve("prometheus.yml");
    Files.writeString(promConfig, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: prometheus
            static_configs:
              - targets: ["127.0.0.1:%d"]
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
            queue_config:
              batch_send_deadline: 500ms
              max_samples_per_send: 500
        """.formatted(prometheusPort, sightlinePort));

    String java = ProcessHandle.current().info().command().orElse("java");
    Process sightline = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "server", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("sightline.log").toFile()).start();
    Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    double acknowledged;
    try {
      HttpClient client = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      acknowledged = 0;
      // Wait for several remote-write rounds, so that the kill lands in the middle of a stream.
      while (acknowledged < 5_000 && System.nanoTime() < deadline) {
        Thread.sleep(500);
        acknowledged = accepted(client, sightlinePort);
      }
      assertThat(acknowledged).as("samples acknowledged; sightline log:\n%s\nprometheus log:\n%s",
          Files.readString(dir.resolve("sightline.log")), tail(dir.resolve("prometheus.log"))).isGreaterThan(5_000);
      sightline.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(sightline.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      sightline.destroyForcibly();
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }

    try (Head head = Head.open(data.resolve("metrics"), WalConfig.defaults())) {
      List<Series> all = head.querier().select(List.of(LabelMatcher.regex("__name__", ".+")), Long.MIN_VALUE,
          Long.MAX_VALUE);
      long samples = 0;
      for (Series s : all) {
        SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
        while (it.next()) {
          samples++;
        }
      }
      assertThat(samples).as("samples after replay").isGreaterThanOrEqualTo((long) acknowledged);
      assertThat(head.querier().select(List.of(LabelMatcher.equal("__name__", "up"),
          LabelMatcher.equal("job", "prometheus")), Long.MIN_VALUE, Long.MAX_VALUE)).hasSize(1);
      assertThat(head.querier().labelValues("__name__", List.of())).contains("prometheus_build_info",
          "prometheus_remote_storage_samples_total", "scrape_duration_seconds");
    }
  }

  private static double accepted(HttpClient client, int port) {
    try {
      String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = ACCEPTED.matcher(body);
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    } catch (IOException | InterruptedException e) {
      return 0;
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

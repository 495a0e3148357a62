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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus' configuration reload, {@code POST /-/reload} with the lifecycle API enabled: new and changed jobs start,
 * removed ones stop, unchanged ones keep scraping without a gap, and an invalid file changes nothing.
 */
class ScrapeReloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;
  @TempDir
  Path configDir;
  private final HttpClient client = HttpClient.newHttpClient();
  private Server exporter;
  private Sightline sightline;
  private Path configFile;

  private String config(String... jobs) {
    StringBuilder yaml = new StringBuilder("""
        server:
          http: {enable_lifecycle: true}
        scrape:
          global: {scrape_interval: 300ms, scrape_timeout: 250ms}
          scrape_configs:
        """);
    for (String job : jobs) {
      yaml.append("    - job_name: ").append(job).append('\n')
          .append("      static_configs: [{targets: ['127.0.0.1:").append(exporter.activeLocalPort())
          .append("']}]\n");
    }
    return yaml.toString();
  }

  @BeforeEach
  void start() throws Exception {
    exporter = Server.builder().http(0)
        .service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
            MediaType.parse("text/plain; version=0.0.4"), "reload_test_metric 1\n"))
        .build();
    exporter.start().join();
    configFile = configDir.resolve("sightline.yaml");
    Files.writeString(configFile, config("first", "steady"));
    sightline = Sightline.builder(TestServers.config(Files.readString(configFile), dataDir))
        .reloadFrom(() -> {
          try {
            return TestServers.config(Files.readString(configFile), dataDir);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .build().start();
  }

  @AfterEach
  void stop() {
    sightline.close();
    exporter.stop().join();
  }

  /** Job name → health of its target, from {@code /api/v1/targets}. */
  private List<String> targets() throws Exception {
    JsonNode active = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + sightline.httpPort() + "/api/v1/targets")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .body()).get("data").get("activeTargets");
    List<String> out = new ArrayList<>();
    active.forEach(t -> out.add(t.get("scrapePool").asText() + "=" + t.get("health").asText()));
    out.sort(String::compareTo);
    return out;
  }

  private void awaitTargets(List<String> expected) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!targets().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(targets()).isEqualTo(expected);
  }

  private java.net.http.HttpResponse<String> reload(String method) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sightline.httpPort() + "/-/reload"))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aReloadStartsNewJobsStopsRemovedOnesAndLeavesUnchangedOnesRunning() throws Exception {
    awaitTargets(List.of("first=up", "steady=up"));
    Files.writeString(configFile, config("second", "steady"));
    assertThat(reload("POST").statusCode()).isEqualTo(200);
    // Right after the reload: the unchanged job is still up (its loop was kept); the new one has not scraped yet or
    // has just done so; the removed one is gone.
    assertThat(targets()).contains("steady=up").noneMatch(t -> t.startsWith("first="));
    awaitTargets(List.of("second=up", "steady=up"));

    Files.writeString(configFile, config("second", "steady") + "    - job_name: [broken\n");
    java.net.http.HttpResponse<String> invalid = reload("PUT");
    assertThat(invalid.statusCode()).isEqualTo(500);
    assertThat(invalid.body()).startsWith("failed to reload config: ");
    assertThat(targets()).isEqualTo(List.of("second=up", "steady=up"));
    assertThat(reload("GET").statusCode()).isEqualTo(405);
  }

  @Test
  void sighupReloadsAServerProcess() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path file = configDir.resolve("process.yaml");
    String header = """
        server:
          http: {endpoint: "127.0.0.1:%d"}
          data_dir: "%s"
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "127.0.0.1:0"}
              http: {endpoint: "127.0.0.1:0"}
        """.formatted(port, configDir.resolve("process-data"));
    Files.writeString(file, header + config("before").substring(config("before").indexOf("scrape:")));
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process server = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        io.sightline.server.Main.class.getName(), "server", "--config", file.toString())
        .redirectErrorStream(true).redirectOutput(configDir.resolve("process.log").toFile()).start();
    try {
      String targetsUrl = "http://127.0.0.1:" + port + "/api/v1/targets";
      java.util.function.Predicate<String> shows = job -> {
        try {
          return client.send(HttpRequest.newBuilder(URI.create(targetsUrl)).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("\"scrapePool\":\"" + job + "\"");
        } catch (Exception e) {
          return false; // not up yet
        }
      };
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!shows.test("before") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(shows.test("before")).as("log:\n%s", Files.readString(configDir.resolve("process.log"))).isTrue();
      Files.writeString(file, header + config("after").substring(config("after").indexOf("scrape:")));
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start();
      assertThat(kill.waitFor()).isZero();
      while (!shows.test("after") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(shows.test("after")).as("log:\n%s", Files.readString(configDir.resolve("process.log"))).isTrue();
      assertThat(shows.test("before")).isFalse();
    } finally {
      server.destroy();
      server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutTheLifecycleApiAReloadIsForbidden() throws Exception {
    try (Sightline plain = TestServers.start("scrape: {}", configDir.resolve("plain"),
        new RecordingExporterFactory())) {
      java.net.http.HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + plain.httpPort() + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).isEqualTo("Lifecycle API is not enabled.\n");
    }
  }
}

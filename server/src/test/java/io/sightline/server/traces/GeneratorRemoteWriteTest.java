package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus as the remote-write receiver of Sightline's metrics generator: one trace through two services
 * and a database goes in over OTLP/gRPC, and Prometheus' own query API answers for Tempo's span metrics and service
 * graph series with the labels and values Sightline's store holds, exemplars with the trace id included.
 */
class GeneratorRemoteWriteTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  /** A bound against a hang on a slow shared machine, not a timing check. */
  private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void prometheusReceivesWhatTheGeneratorWrites() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "Debian package 'prometheus' is not installed (apt-get install prometheus)");
    int prometheusPort = freePort();
    Path promConfig = dir.resolve("prometheus.yml");
    Files.writeString(promConfig, "global: {}\n");
    Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
        "--web.enable-remote-write-receiver", "--enable-feature=exemplar-storage")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    Sightline server = null;
    try {
      awaitReady(prometheusPort, prometheus);
      server = TestServers.start("""
          metrics_generator:
            registry:
              collection_interval: 200ms
            processor:
              service_graphs:
                wait: 1s
            storage:
              remote_write:
                - url: http://127.0.0.1:%d/api/v1/write
                  name: prom
                  queue_config: {batch_send_deadline: 100ms}
          """.formatted(prometheusPort), dir.resolve("sightline"), new RecordingExporterFactory());
      String traceId = ShopTrace.send("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc"));

      int sightlinePort = server.httpPort();
      Map<Map<String, String>, String> calls = agreed(sightlinePort, prometheusPort, "traces_spanmetrics_calls_total",
          4);
      assertThat(calls).containsEntry(Map.of("__name__", "traces_spanmetrics_calls_total", "service",
          "payment-service", "span_name", "charge", "span_kind", "SPAN_KIND_SERVER", "status_code",
          "STATUS_CODE_ERROR"), "1");
      assertThat(calls.values()).containsOnly("1");
      Map<Map<String, String>, String> edges = agreed(sightlinePort, prometheusPort,
          "traces_service_graph_request_total", 3);
      assertThat(edges).containsEntry(Map.of("__name__", "traces_service_graph_request_total", "client",
          "order-service", "server", "payment-service"), "1");
      assertThat(edges.keySet()).extracting(m -> m.get("client") + "->" + m.get("server"))
          .containsExactlyInAnyOrder("order-service->payment-service", "payment-service->postgresql",
              "user->order-service");
      agreed(sightlinePort, prometheusPort, "traces_spanmetrics_latency_bucket{span_name=\"charge\"}", 15);

      long now = System.currentTimeMillis() / 1000;
      JsonNode exemplars = until(() -> get(prometheusPort, "/api/v1/query_exemplars", "query",
          "traces_spanmetrics_latency_bucket{span_name=\"charge\"}", "start", Long.toString(now - 600), "end",
          Long.toString(now + 600)).path("data"), d -> d.size() > 0, "exemplars in Prometheus");
      assertThat(exemplars.get(0).path("exemplars").get(0).path("labels").path("traceID").asText())
          .isEqualTo(traceId);

      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sightlinePort
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).containsPattern("(?m)^prometheus_remote_storage_samples_total\\{remote_name=\"prom\","
          + "url=\"http://127.0.0.1:" + prometheusPort + "/api/v1/write\"} [1-9]");
      assertThat(metrics).containsPattern("(?m)^prometheus_remote_storage_exemplars_total\\{.*} [1-9]");
      assertThat(metrics).containsPattern("(?m)^prometheus_remote_storage_samples_failed_total\\{.*} 0.0$");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nprometheus log:\n" + tail(dir.resolve("prometheus.log")), e);
    } finally {
      if (server != null) {
        server.close();
      }
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * An endpoint that takes requests and never answers: spans are still acknowledged and counted, the generator's
   * collections still reach the embedded store, the queue fills, and shutdown gives up on the endpoint after
   * {@code remote_write_flush_deadline}.
   */
  @Test
  void aHangingEndpointHoldsUpNeitherSpansNorTheStoreNorShutdown() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer hanging = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hanging.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    hanging.createContext("/api/v1/write", exchange -> {
      requests.incrementAndGet();
      try {
        release.await();
        exchange.sendResponseHeaders(204, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    hanging.start();
    Sightline server = null;
    try {
      server = TestServers.start("""
          metrics_generator:
            registry:
              collection_interval: 200ms
            storage:
              remote_write_flush_deadline: 1s
              remote_write:
                - url: http://127.0.0.1:%d/api/v1/write
                  name: hanging
                  remote_timeout: 1h
                  queue_config: {batch_send_deadline: 50ms, max_samples_per_send: 10}
          """.formatted(hanging.getAddress().getPort()), dir.resolve("sightline"), new RecordingExporterFactory());
      ShopTrace.send("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc"));
      int port = server.httpPort();
      until(() -> get(port, "/api/v1/query", "query", "traces_spanmetrics_calls_total").path("data").path("result"),
          r -> r.size() == 4, "span metrics in Sightline's store");
      String metrics = until(() -> JSON.valueToTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body()),
          body -> body.asText().matches("(?s).*\nprometheus_remote_storage_samples_pending\\{[^}]*} [1-9].*"),
          "samples pending behind the hanging request").asText();
      assertThat(metrics).containsPattern("(?m)^prometheus_remote_storage_samples_total\\{.*} [1-9]");
      assertThat(requests.get()).isEqualTo(1);
    } finally {
      if (server != null) {
        server.close(); // returns once the flush deadline has passed
      }
      release.countDown();
      hanging.stop(0);
    }
  }

  /**
   * The series of {@code promql} with their values, once Sightline and Prometheus both hold {@code size} of them and
   * agree on every label and value: the generator writes every 200 ms, and Prometheus gets each collection a little
   * later.
   */
  private Map<Map<String, String>, String> agreed(int sightlinePort, int prometheusPort, String promql, int size)
      throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    Map<Map<String, String>, String> ours;
    Map<Map<String, String>, String> theirs;
    do {
      ours = vector(sightlinePort, promql);
      theirs = vector(prometheusPort, promql);
      if (ours.size() == size && ours.equals(theirs)) {
        return ours;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(promql + ": Sightline has " + ours + ", Prometheus has " + theirs);
  }

  private Map<Map<String, String>, String> vector(int port, String promql) throws Exception {
    Map<Map<String, String>, String> out = new java.util.HashMap<>();
    for (JsonNode r : get(port, "/api/v1/query", "query", promql).path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      r.path("metric").properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
      out.put(labels, r.path("value").get(1).asText());
    }
    return out;
  }

  private JsonNode get(int port, String path, String... params) throws Exception {
    return TestServers.getJson(http, port, path, params);
  }

  private interface Query {
    JsonNode run() throws Exception;
  }

  private static JsonNode until(Query q, java.util.function.Predicate<JsonNode> done, String what) throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    JsonNode last;
    do {
      last = q.run();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no " + what + " in time: " + last);
  }

  private void awaitReady(int port, Process prometheus) throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (System.nanoTime() < deadline && prometheus.isAlive()) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Prometheus did not get ready");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

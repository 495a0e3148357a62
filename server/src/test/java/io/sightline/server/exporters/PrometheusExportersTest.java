package io.sightline.server.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus takes Sightline's metrics both ways the Collector offers: pushed by the
 * {@code prometheusremotewrite} exporter to its remote-write receiver, and scraped from the {@code prometheus}
 * exporter's endpoint. A PromQL query against that Prometheus finds the series of each way, with the values sent.
 */
class PrometheusExportersTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final String SIGHTLINE = """
      exporters:
        prometheusremotewrite:
          endpoint: "http://127.0.0.1:%1$d/api/v1/write"
          external_labels: {via: remote_write}
        prometheus:
          endpoint: "127.0.0.1:%2$d"
          const_labels: {via: scrape}
      service:
        pipelines:
          metrics: {receivers: [otlp], processors: [batch], exporters: [prometheusremotewrite, prometheus]}
      """;

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void prometheusFindsTheSeriesPushedAndScraped() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS),
        "Debian package 'prometheus' is not installed (apt-get install prometheus)");
    int prometheusPort = freePort();
    int scrapePort = freePort();
    Path promConfig = dir.resolve("prometheus.yml");
    Files.writeString(promConfig, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: sightline-exporter
            honor_labels: true
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(scrapePort));
    Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
        "--web.enable-remote-write-receiver")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    Sightline sightline = null;
    try {
      awaitReady(prometheusPort);
      sightline = TestServers.start(SIGHTLINE.formatted(prometheusPort, scrapePort), dir.resolve("sightline"),
          new RecordingExporterFactory());
      int otlp = sightline.receiverPorts("otlp").get("http");
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlp
          + "/v1/metrics")).header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(metrics().toByteArray())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).isEqualTo(200);

      Map<String, String> temperatures = awaitSeries(prometheusPort,
          "room_temperature_celsius{job=\"shop/api\",room=\"kitchen\"}", 2);
      assertThat(temperatures).containsEntry("remote_write", "21.5").containsEntry("scrape", "21.5");
      Map<String, String> orders = awaitSeries(prometheusPort, "orders_total{job=\"shop/api\"}", 2);
      assertThat(orders).containsEntry("remote_write", "7").containsEntry("scrape", "7");
    } finally {
      if (sightline != null) {
        sightline.close();
      }
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static ExportMetricsServiceRequest metrics() {
    long now = System.currentTimeMillis() * 1_000_000L;
    Metric temperature = Metric.newBuilder().setName("room.temperature").setUnit("Cel")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(21.5)
            .setTimeUnixNano(now).addAttributes(attr("room", "kitchen")))).build();
    Metric orders = Metric.newBuilder().setName("orders")
        .setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setAsInt(7).setStartTimeUnixNano(now - 60_000_000_000L)
                .setTimeUnixNano(now))).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "api"))
            .addAttributes(attr("service.namespace", "shop")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(temperature).addMetrics(orders))).build();
  }

  /** Polls an instant query until it returns {@code count} series; their values by the {@code via} label. */
  private Map<String, String> awaitSeries(int port, String query, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<String, String> byVia = new TreeMap<>();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      byVia.clear();
      if (r.statusCode() == 200) {
        JsonNode result = new ObjectMapper().readTree(r.body()).path("data").path("result");
        for (JsonNode s : result) {
          byVia.put(s.path("metric").path("via").asText(), s.path("value").path(1).asText());
        }
        if (byVia.size() >= count) {
          return byVia;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("query " + query + " found " + byVia + "; prometheus log:\n" + tail());
  }

  private void awaitReady(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError("prometheus did not become ready:\n" + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("prometheus.log"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
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

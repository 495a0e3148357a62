package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.core.model.LabelMatcher;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus (2.42) scrapes a native histogram from client_java over the protobuf exposition format, with
 * its {@code native-histograms} feature on, and remote-writes it to Sightline with {@code send_native_histograms}:
 * Sightline's query API must then give the histogram Prometheus' own query API gives.
 */
class PrometheusNativeHistogramTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String METRIC = "checkout_duration_seconds";

  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aScrapedNativeHistogramArrivesByRemoteWriteAndReadsBackAsInPrometheus() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS),
        "Debian package 'prometheus' is not installed (apt-get install prometheus)");
    PrometheusRegistry registry = new PrometheusRegistry();
    Histogram duration = Histogram.builder().name(METRIC).help("Checkout duration.").nativeOnly().register(registry);
    for (double v : new double[] {0.003, 0.04, 0.04, 0.7, 2.5, 0}) {
      duration.observe(v);
    }
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExpositionFormats formats = ExpositionFormats.init();
    target.createContext("/metrics", exchange -> {
      // Prometheus asks for protobuf first when its native-histograms feature is on; only protobuf carries them.
      ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
      exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        writer.write(out, registry.scrape());
      }
    });
    target.start();
    int prometheusPort = freePort();
    Sightline sightline = TestServers.start("{}", dir.resolve("sightline"), new RecordingExporterFactory());
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: shop
            static_configs:
              - targets: ["127.0.0.1:%d"]
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
            send_native_histograms: true
            queue_config:
              batch_send_deadline: 500ms
        """.formatted(target.getAddress().getPort(), sightline.httpPort()));
    Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--enable-feature=native-histograms", "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long arrived;
      while ((arrived = storedHistograms(sightline)) < 2 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(arrived).as("native histogram samples remote-written; prometheus log:\n%s",
          Files.readString(dir.resolve("prometheus.log"))).isGreaterThanOrEqualTo(2);

      // The histogram no longer changes, so both answer the same one whatever scrape they end at.
      long now = System.currentTimeMillis() / 1000;
      JsonNode ours = query(sightline.httpPort(), now);
      JsonNode theirs = query(prometheusPort, now);
      assertThat(theirs).as("Prometheus' own answer").hasSize(1);
      assertThat(ours).hasSize(1);
      assertThat(ours.get(0).get("metric")).isEqualTo(theirs.get(0).get("metric"));
      assertThat(ours.get(0).get("metric").get("job").asText()).isEqualTo("shop");
      JsonNode h = ours.get(0).get("histogram").get(1);
      JsonNode expected = theirs.get(0).get("histogram").get(1);
      assertThat(h.get("count").asText()).isEqualTo("6").isEqualTo(expected.get("count").asText());
      assertThat(Double.parseDouble(h.get("sum").asText())).isEqualTo(3.283, within(1e-9));
      assertThat(h.get("sum").asText()).isEqualTo(expected.get("sum").asText());
      JsonNode buckets = h.get("buckets");
      assertThat(buckets).hasSameSizeAs(expected.get("buckets")).hasSize(5); // zero bucket and four more
      for (int i = 0; i < buckets.size(); i++) {
        JsonNode b = buckets.get(i);
        JsonNode e = expected.get("buckets").get(i);
        assertThat(b.get(0).asInt()).as("boundary rule of bucket %d", i).isEqualTo(e.get(0).asInt());
        assertThat(b.get(3).asText()).as("count of bucket %d", i).isEqualTo(e.get(3).asText());
        // Prometheus takes fractional powers of two from a table a few of whose last digits are off by one.
        for (int bound = 1; bound <= 2; bound++) {
          double mine = Double.parseDouble(b.get(bound).asText());
          double theirBound = Double.parseDouble(e.get(bound).asText());
          assertThat(mine).as("bound %d of bucket %d", bound, i)
              .isCloseTo(theirBound, within(Math.abs(theirBound) * 1e-15));
        }
      }
    } finally {
      prometheus.destroy();
      prometheus.waitFor(30, TimeUnit.SECONDS);
      sightline.close();
      target.stop(0);
    }
  }

  /** How many histogram samples of the metric Sightline holds. */
  private static long storedHistograms(Sightline sightline) {
    long n = 0;
    for (Series s : sightline.metricStore().querier().select(List.of(LabelMatcher.equal("__name__", METRIC)),
        Long.MIN_VALUE, Long.MAX_VALUE)) {
      SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
      while (it.next()) {
        n += it.histogram() != null ? 1 : 0;
      }
    }
    return n;
  }

  private JsonNode query(int port, long timeSeconds) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/query?query=" + URLEncoder.encode(METRIC, StandardCharsets.UTF_8) + "&time=" + timeSeconds))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("data").get("result");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

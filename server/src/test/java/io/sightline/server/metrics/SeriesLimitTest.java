package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * The remote-write limits on the store's size: {@code storage.metrics.max_series} (400 naming the limit) and
 * {@code storage.metrics.write_memory_limiter} (503 with Retry-After, which every sender retries).
 */
class SeriesLimitTest {
  @TempDir
  Path dataDir;

  @Test
  void newSeriesBeyondTheLimitAreRefusedAndKnownOnesStillWrite() throws Exception {
    Sightline server = TestServers.start("""
        storage:
          metrics:
            max_series: 2
        """, dataDir, new RecordingExporterFactory());
    try (HttpClient client = HttpClient.newHttpClient()) {
      byte[] body = RemoteWriteProtocolTest.request(
          RemoteWriteProtocolTest.series(new String[] {"__name__", "a"}, new long[] {1000}, new double[] {1}),
          RemoteWriteProtocolTest.series(new String[] {"__name__", "b"}, new long[] {1000}, new double[] {1}),
          RemoteWriteProtocolTest.series(new String[] {"__name__", "c"}, new long[] {1000, 2000}, new double[] {1, 2}));
      HttpResponse<String> r = post(client, server, body);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("2 samples refused, 2 stored; first: series limit of 2 reached "
          + "(storage.metrics.max_series): refusing new series c{}\n");
      HttpResponse<String> known = post(client, server, RemoteWriteProtocolTest.request(RemoteWriteProtocolTest.series(
          new String[] {"__name__", "a"}, new long[] {2000}, new double[] {2})));
      assertThat(known.statusCode()).isEqualTo(204);
      assertThat(server.metricStore().stats(10).numSeries()).isEqualTo(2);
    } finally {
      server.close();
    }
  }

  @Test
  void writesAreRefusedRetryablyWhileMemoryIsShort() throws Exception {
    // A limit below what any JVM uses: the guard refuses from its first check on.
    Sightline server = TestServers.start("""
        storage:
          metrics:
            write_memory_limiter: {check_interval: 50ms, limit_mib: 2, spike_limit_mib: 1}
        """, dataDir, new RecordingExporterFactory());
    try (HttpClient client = HttpClient.newHttpClient()) {
      byte[] body = RemoteWriteProtocolTest.request(
          RemoteWriteProtocolTest.series(new String[] {"__name__", "m"}, new long[] {1000}, new double[] {1}));
      HttpResponse<String> r = post(client, server, body);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (r.statusCode() != 503 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        r = post(client, server, body);
      }
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(r.body()).isEqualTo("memory usage is above the limit (storage.metrics.write_memory_limiter): retry "
          + "later\n");
    } finally {
      server.close();
    }
  }

  @Test
  void aScrapeOverTheLimitStoresWhatFitsAndCountsTheRest() throws Exception {
    com.linecorp.armeria.server.Server exporter = com.linecorp.armeria.server.Server.builder().http(0)
        .service("/metrics", (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(
            "a 1\nb 2\nc 3\nd 4\ne 5\n")).build();
    exporter.start().join();
    Sightline server = TestServers.start("""
        storage:
          metrics:
            max_series: 3
        scrape:
          scrape_configs:
            - job_name: many
              scrape_interval: 100ms
              static_configs: [{targets: ["127.0.0.1:%d"]}]
        """.formatted(exporter.activeLocalPort()), dataDir, new RecordingExporterFactory());
    try (HttpClient client = HttpClient.newHttpClient()) {
      String metrics = "";
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!metrics.matches("(?s).*sightline_scrape_samples_refused_total [1-9].*") && System.nanoTime() < deadline) {
        Thread.sleep(100);
        metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
      }
      assertThat(metrics).containsPattern("sightline_scrape_samples_refused_total [1-9]");
      assertThat(server.metricStore().stats(10).numSeries()).isEqualTo(3);
      assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
          + "/-/healthy")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } finally {
      server.close();
      exporter.stop().join();
    }
  }

  private static HttpResponse<String> post(HttpClient client, Sightline server, byte[] request) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/write"))
        .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request))).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

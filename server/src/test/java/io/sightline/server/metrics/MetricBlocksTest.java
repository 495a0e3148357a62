package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * The real server cutting its head into blocks in the background: what the HTTP API answers is the same before the
 * blocks exist, after, and after a restart; samples behind the blocks are refused with Prometheus' status; and a
 * damaged block is set aside at start without stopping the server.
 */
class MetricBlocksTest {
  private static final String CONFIG = """
      storage:
        metrics:
          maintenance_interval: 200ms
      """;
  private static final long HOUR = 3600_000L;

  @TempDir
  Path dataDir;
  private HttpClient client = HttpClient.newHttpClient();

  @Test
  void queriesAnswerTheSameFromTheHeadFromBlocksAndAfterARestart() throws Exception {
    long end = System.currentTimeMillis() / 60_000 * 60_000;
    long start = end - 8 * HOUR;
    String range = "/api/v1/query_range?query=" + URLEncoder.encode("{__name__=\"blocks_test\"}", StandardCharsets.UTF_8)
        + "&start=" + start / 1000 + "&end=" + end / 1000 + "&step=300";
    String fromHead;
    String fromBlocks;
    Sightline server = TestServers.start(CONFIG.replace("200ms", "1h"), dataDir, new RecordingExporterFactory());
    try {
      // 8 hours of 30 s samples for 5 series, in requests of 100 samples per series, oldest first.
      for (long t = start; t <= end; t += 100 * 30_000L) {
        byte[][] series = new byte[5][];
        for (int s = 0; s < 5; s++) {
          int n = (int) Math.min(100, (end - t) / 30_000L + 1);
          long[] ts = new long[n];
          double[] vs = new double[n];
          for (int i = 0; i < n; i++) {
            ts[i] = t + i * 30_000L;
            vs[i] = s * 1000 + (ts[i] - start) / 30_000.0;
          }
          series[s] = RemoteWriteProtocolTest.series(new String[] {"__name__", "blocks_test", "s", "s" + s}, ts, vs);
        }
        assertThat(write(server, RemoteWriteProtocolTest.request(series)).statusCode()).isEqualTo(204);
      }
      fromHead = get(server, range);
      assertThat(fromHead).startsWith("{\"status\":\"success\"").contains("\"s\":\"s4\"");
      assertThat(blocks()).isZero();
    } finally {
      // An open keep-alive connection would hold the server's graceful shutdown to its timeout.
      client.close();
      client = HttpClient.newHttpClient();
      server.close();
    }
    server = TestServers.start(CONFIG, dataDir, new RecordingExporterFactory());
    try {
      long deadline = System.nanoTime() + 30_000_000_000L;
      // Counted in hours, not blocks: at some times of day the cut blocks fall into one 6 h range and are merged into
      // one as soon as they are cut.
      while (blockHours() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(blockHours()).as("hours of blocks cut from 8 hours of head").isGreaterThanOrEqualTo(4);
      fromBlocks = get(server, range);
      assertThat(fromBlocks).isEqualTo(fromHead);
      // A sample for a time already in a block is refused as too old, with a 400 senders do not retry.
      HttpResponse<String> old = write(server, RemoteWriteProtocolTest.request(RemoteWriteProtocolTest.series(
          new String[] {"__name__", "blocks_test", "s", "late"}, new long[] {start + 1000}, new double[] {1})));
      assertThat(old.statusCode()).isEqualTo(400);
      assertThat(old.body()).contains("too old sample");
    } finally {
      // An open keep-alive connection would hold the server's graceful shutdown to its timeout.
      client.close();
      client = HttpClient.newHttpClient();
      server.close();
    }
    server = TestServers.start(CONFIG.replace("200ms", "1h"), dataDir, new RecordingExporterFactory());
    try {
      assertThat(get(server, range)).isEqualTo(fromHead);
    } finally {
      // An open keep-alive connection would hold the server's graceful shutdown to its timeout.
      client.close();
      client = HttpClient.newHttpClient();
      server.close();
    }
    // A damaged block: the server starts, sets it aside, and answers from the rest.
    Path blocksDir = dataDir.resolve("metrics").resolve("blocks");
    Path damaged;
    try (Stream<Path> entries = Files.list(blocksDir)) {
      damaged = entries.filter(p -> !p.getFileName().toString().contains(".")).sorted().findFirst().orElseThrow();
    }
    Files.write(damaged.resolve("index"), new byte[] {0, 1, 2, 3});
    server = TestServers.start(CONFIG.replace("200ms", "1h"), dataDir, new RecordingExporterFactory());
    try {
      assertThat(blocksDir.resolve(damaged.getFileName() + ".corrupted")).isDirectory();
      String answer = get(server, range);
      assertThat(answer).startsWith("{\"status\":\"success\"").contains("\"s\":\"s4\"").isNotEqualTo(fromHead);
    } finally {
      client.close();
      client = HttpClient.newHttpClient();
      server.close();
    }
  }

  /** The time the blocks on disk cover, from their meta.json files. */
  private double blockHours() throws Exception {
    Path dir = dataDir.resolve("metrics").resolve("blocks");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    double hours = 0;
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path block : entries.filter(p -> !p.getFileName().toString().contains(".")).toList()) {
        Path meta = block.resolve("meta.json");
        if (!Files.exists(meta)) {
          continue; // being written
        }
        String json = Files.readString(meta);
        java.util.regex.Matcher min = java.util.regex.Pattern.compile("\"minTime\"\\s*:\\s*(-?\\d+)").matcher(json);
        java.util.regex.Matcher max = java.util.regex.Pattern.compile("\"maxTime\"\\s*:\\s*(-?\\d+)").matcher(json);
        if (min.find() && max.find()) {
          hours += (Long.parseLong(max.group(1)) - Long.parseLong(min.group(1))) / 3_600_000.0;
        }
      }
    }
    return hours;
  }

  private long blocks() throws Exception {
    Path dir = dataDir.resolve("metrics").resolve("blocks");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> !p.getFileName().toString().contains(".")).count();
    }
  }

  private HttpResponse<String> write(Sightline server, byte[] request) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/write"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String get(Sightline server, String pathAndQuery) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}

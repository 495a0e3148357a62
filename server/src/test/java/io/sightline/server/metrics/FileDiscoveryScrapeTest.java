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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets from {@code file_sd_configs} come and go as the file changes; a target that goes is marked stale. */
class FileDiscoveryScrapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void targetsFollowTheFile() throws Exception {
    Server exporter = Server.builder().http(0).service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
        MediaType.PLAIN_TEXT_UTF_8, "demo_value 7\n")).build();
    exporter.start().join();
    Path targets = dir.resolve("targets.json");
    String address = "127.0.0.1:" + exporter.activeLocalPort();
    Files.writeString(targets, "[{\"targets\": [\"" + address + "\"], \"labels\": {\"team\": \"a\"}}]");
    Sightline sightline = TestServers.start("""
        scrape:
          scrape_configs:
            - job_name: discovered
              scrape_interval: 100ms
              file_sd_configs:
                - files: ["%s"]
                  refresh_interval: 200ms
        """.formatted(dir.resolve("*.json")), dir.resolve("data"), new RecordingExporterFactory());
    try {
      await(sightline, "demo_value{team=\"a\"}", r -> r.size() == 1);
      Files.writeString(targets, "[]");
      await(sightline, "demo_value", r -> r.isEmpty()); // stale at once, not after the 5-minute lookback
      await(sightline, "up{job=\"discovered\"}", r -> r.isEmpty());
      assertThat(get(sightline, "/api/v1/targets").get("data").get("activeTargets")).isEmpty();
      Files.writeString(targets, "[{\"targets\": [\"" + address + "\"], \"labels\": {\"team\": \"b\"}}]");
      JsonNode back = await(sightline, "demo_value", r -> r.size() == 1);
      assertThat(back.get(0).get("metric").get("team").asText()).isEqualTo("b");
      assertThat(get(sightline, "/api/v1/targets").get("data").get("activeTargets").get(0).get("discoveredLabels")
          .get("__meta_filepath").asText()).isEqualTo(targets.toString());
    } finally {
      sightline.close();
      exporter.stop().join();
    }
  }

  private JsonNode await(Sightline s, String selector, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    JsonNode r = query(s, selector);
    while (!done.test(r) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      r = query(s, selector);
    }
    assertThat(done.test(r)).as("%s: last result %s", selector, r).isTrue();
    return r;
  }

  private JsonNode query(Sightline s, String selector) throws Exception {
    return get(s, "/api/v1/query?query=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)).get("data")
        .get("result");
  }

  private JsonNode get(Sightline s, String pathAndQuery) throws Exception {
    var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + pathAndQuery)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}

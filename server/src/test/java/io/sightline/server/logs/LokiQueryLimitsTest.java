package io.sightline.server.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Loki API's query limits come from {@code storage.logs.limits}, under Loki's names, with Loki's answers. */
class LokiQueryLimitsTest {
  @TempDir
  Path dataDir;

  @Test
  void configuredLimitsApplyWithLokisMessages() throws Exception {
    try (Sightline server = TestServers.start("""
        storage:
          logs:
            limits: {max_entries_limit_per_query: 10, max_query_length: 2h}
        """, dataDir, new RecordingExporterFactory())) {
      HttpResponse<String> entries = get(server, "/loki/api/v1/query_range?query="
          + URLEncoder.encode("{app=\"x\"}", StandardCharsets.UTF_8) + "&limit=20");
      assertThat(entries.statusCode()).isEqualTo(400);
      assertThat(entries.body()).contains("max entries limit per query exceeded, limit > max_entries_limit_per_query"
          + " (20 > 10)");

      HttpResponse<String> length = get(server, "/loki/api/v1/query_range?query="
          + URLEncoder.encode("{app=\"x\"}", StandardCharsets.UTF_8) + "&since=3h&limit=5");
      assertThat(length.statusCode()).isEqualTo(400);
      assertThat(length.body()).contains("the query time range exceeds the limit");
    }
  }

  @Test
  void invalidLimitsFailTheStartWithTheKey() {
    assertThatThrownBy(() -> Sightline.builder(TestServers.config(
        "storage: {logs: {limits: {query_timeout: 0s}}}", dataDir)).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("query_timeout").hasMessageContaining("positive");
  }

  private static HttpResponse<String> get(Sightline server, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}

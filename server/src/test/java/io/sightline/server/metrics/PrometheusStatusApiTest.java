package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status, format and admin endpoints of the Prometheus API, in Prometheus' shapes. */
class PrometheusStatusApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void configFlagsRuntimeinfoAndFormatQuery() throws Exception {
    Sightline server = TestServers.start("""
        storage:
          metrics:
            retention: {time: 30d, size: 1GiB}
        """, dataDir, new RecordingExporterFactory());
    try {
      JsonNode config = get(server, "/api/v1/status/config");
      assertThat(config.get("status").asText()).isEqualTo("success");
      assertThat(config.get("data").get("yaml").asText()).contains("retention:").contains("time: 30d")
          .contains("data_dir:");
      JsonNode flags = get(server, "/api/v1/status/flags").get("data");
      assertThat(flags.get("storage.tsdb.retention.time").asText()).isEqualTo("30d");
      assertThat(flags.get("storage.tsdb.retention.size").asText()).isEqualTo("1GiB");
      assertThat(flags.get("web.enable-admin-api").asText()).isEqualTo("false");
      assertThat(get(server, "/api/v1/status/runtimeinfo").get("data").get("storageRetention").asText())
          .isEqualTo("30d or 1GiB");
      assertThat(get(server, "/api/v1/format_query?query=" + URLEncoder.encode("up{job=\"a\"}",
          StandardCharsets.UTF_8)).get("data").asText()).isEqualTo("up{job=\"a\"}");
      HttpResponse<String> bad = send(server, "/api/v1/format_query?query=" + URLEncoder.encode("up{",
          StandardCharsets.UTF_8), "GET");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(bad.body()).get("errorType").asText()).isEqualTo("bad_data");
      // Admin endpoints are off unless enabled, with Prometheus' answer.
      HttpResponse<String> snapshot = send(server, "/api/v1/admin/tsdb/snapshot", "POST");
      assertThat(snapshot.statusCode()).isEqualTo(503);
      assertThat(snapshot.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"unavailable\","
          + "\"error\":\"admin APIs disabled\"}");
    } finally {
      server.close();
    }
  }

  @Test
  void snapshotWritesBlocksUnderTheDataDirectory() throws Exception {
    Sightline server = TestServers.start("""
        server:
          http: {enable_admin_api: true}
        """, dataDir, new RecordingExporterFactory());
    try {
      byte[] request = RemoteWriteProtocolTest.request(RemoteWriteProtocolTest.series(
          new String[] {"__name__", "snap_test"}, new long[] {1000, 2000}, new double[] {1, 2}));
      HttpResponse<String> written = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + server.httpPort() + "/api/v1/write")).header("Content-Encoding", "snappy")
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(org.xerial.snappy.Snappy.compress(request))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(written.statusCode()).isEqualTo(204);
      HttpResponse<String> r = send(server, "/api/v1/admin/tsdb/snapshot", "PUT");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String name = JSON.readTree(r.body()).get("data").get("name").asText();
      assertThat(name).matches("\\d{8}T\\d{6}Z-[0-9a-f]{16}");
      Path snapshot = dataDir.resolve("metrics").resolve("snapshots").resolve(name);
      try (var blocks = Files.list(snapshot)) {
        Path block = blocks.findFirst().orElseThrow();
        assertThat(Files.readString(block.resolve("meta.json"))).contains("\"numSamples\" : 2");
      }
      assertThat(send(server, "/api/v1/admin/tsdb/snapshot?skip_head=maybe", "POST").statusCode()).isEqualTo(400);
      // delete_series: the samples go from queries at once.
      assertThat(send(server, "/api/v1/admin/tsdb/delete_series", "POST").body()).contains("no match[] parameter provided");
      assertThat(send(server, "/api/v1/admin/tsdb/delete_series?match[]=snap_test&start=0&end=1.5", "POST")
          .statusCode()).isEqualTo(204);
      JsonNode left = get(server, "/api/v1/query_range?query=snap_test&start=0&end=10&step=1").get("data")
          .get("result").get(0).get("values");
      assertThat(left.get(0).get(0).asDouble()).isEqualTo(2.0);
      assertThat(send(server, "/api/v1/admin/tsdb/clean_tombstones", "PUT").statusCode()).isEqualTo(204);
      assertThat(send(server, "/api/v1/admin/tsdb/snapshot", "GET").statusCode()).isEqualTo(405);
    } finally {
      server.close();
    }
  }

  private JsonNode get(Sightline server, String pathAndQuery) throws Exception {
    HttpResponse<String> r = send(server, pathAndQuery, "GET");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(Sightline server, String pathAndQuery, String method) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}

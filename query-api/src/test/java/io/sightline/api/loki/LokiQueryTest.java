package io.sightline.api.loki;

import static io.sightline.api.loki.LokiApiTest.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.LogStoreConfig;
import io.sightline.logstore.db.LogDb;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code query}, {@code query_range} and the detected endpoints through the LogQL engine, on a real port. */
class LokiQueryTest {
  static final long NOW = System.currentTimeMillis() / 1000 * 1_000_000_000L;
  static final long T1 = NOW - 30 * MINUTE;
  static final long T2 = NOW - 20 * MINUTE;
  static final long T3 = NOW - 10 * MINUTE;
  static final Labels API = Labels.of("app", "api");
  private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir
  static Path dir;
  private static LogStore store;
  private static Server server;

  @BeforeAll
  static void start() throws Exception {
    store = LogDb.open(dir, LogStoreConfig.defaults());
    Stores.push(store, API, new LogEntry(T1, "level=info msg=ok status=200", Labels.EMPTY),
        new LogEntry(T2, "level=error msg=fail status=500", Labels.of("trace_id", "t2")),
        new LogEntry(T3, "{\"level\":\"info\",\"took\":\"15ms\",\"bytes\":\"10 KB\"}", Labels.EMPTY));
    Stores.push(store, Labels.of("app", "web", "namespace", "shop", "instance_id",
        "0c9e1b4e-3bb5-4f0a-9d33-5b2d6f3e8a11"), new LogEntry(T2, "web line", Labels.EMPTY));
    ServerBuilder sb = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0);
    new LokiApi(() -> store).addRoutes(sb);
    server = sb.build();
    server.start().join();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop().join();
    store.close();
  }

  static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.activeLocalPort()
        + pathAndQuery)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String q(String logql) {
    return "query=" + URLEncoder.encode(logql, StandardCharsets.UTF_8);
  }

  static String stats() {
    return "\"stats\":{\"summary\":{";
  }

  @Test
  void logQueryReturnsStreamsNewestFirst() throws Exception {
    String r = get("/loki/api/v1/query_range?" + q("{app=\"api\"} |= \"level\"") + "&start=" + (T1 - 1)
        + "&end=" + NOW).body();
    assertThat(r).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[");
    assertThat(r).contains("{\"stream\":{\"app\":\"api\"},\"values\":[[\"" + T3 + "\",\"{\\\"level\\\":\\\"info\\\","
        + "\\\"took\\\":\\\"15ms\\\",\\\"bytes\\\":\\\"10 KB\\\"}\"],[\"" + T1
        + "\",\"level=info msg=ok status=200\"]]}");
    // Without categorize-labels the structured metadata goes into the stream's labels.
    assertThat(r).contains("{\"stream\":{\"app\":\"api\",\"trace_id\":\"t2\"},\"values\":[[\"" + T2
        + "\",\"level=error msg=fail status=500\"]]}");
    assertThat(r).contains(stats()).endsWith("}}}");

    r = get("/loki/api/v1/query_range?" + q("{app=\"api\"}") + "&start=" + (T1 - 1) + "&end=" + NOW
        + "&limit=1&direction=forward").body();
    assertThat(r).contains("\"result\":[{\"stream\":{\"app\":\"api\"},\"values\":[[\"" + T1
        + "\",\"level=info msg=ok status=200\"]]}]");
  }

  @Test
  void formPostsAsGets() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.activeLocalPort() + "/loki/api/v1/query_range")).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(q("{app=\"web\"}")
        + "&start=" + (T1 - 1) + "&end=" + NOW)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).contains("\"result\":[{\"stream\":{\"app\":\"web\",\"instance_id\":"
        + "\"0c9e1b4e-3bb5-4f0a-9d33-5b2d6f3e8a11\",\"namespace\":\"shop\"},\"values\":[[\"" + T2
        + "\",\"web line\"]]}]");
  }

  @Test
  void categorizedLabelsKeepTheStreamAndSplitTheRest() throws Exception {
    String r = get("/loki/api/v1/query_range?" + q("{app=\"api\"} | logfmt | level=\"error\"") + "&start="
        + (T1 - 1) + "&end=" + NOW, "X-Loki-Response-Encoding-Flags", "categorize-labels").body();
    assertThat(r).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"encodingFlags\":"
        + "[\"categorize-labels\"],\"result\":[{\"stream\":{\"app\":\"api\"},\"values\":[[\"" + T2
        + "\",\"level=error msg=fail status=500\",{\"structuredMetadata\":{\"trace_id\":\"t2\"},\"parsed\":"
        + "{\"level\":\"error\",\"msg\":\"fail\",\"status\":\"500\"}}]]}]");
  }

  @Test
  void metricQueriesGiveMatrixVectorAndScalar() throws Exception {
    // Structured metadata is part of a sample's labels, as in Loki.
    String r = get("/loki/api/v1/query_range?" + q("count_over_time({app=\"api\"}[1h])") + "&start=" + NOW
        + "&end=" + NOW + "&step=60").body();
    assertThat(r).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"app\":\"api\"},\"values\":[[" + NOW / 1_000_000_000L + ",\"2\"]]},"
        + "{\"metric\":{\"app\":\"api\",\"trace_id\":\"t2\"},\"values\":[[" + NOW / 1_000_000_000L
        + ",\"1\"]]}],\"stats\":{");
    // Grafana's health check.
    r = get("/loki/api/v1/query?" + q("vector(1)+vector(1)") + "&time=" + NOW).body();
    assertThat(r).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{},\"value\":[" + NOW / 1_000_000_000L + ",\"2\"]}],");
    r = get("/loki/api/v1/query?" + q("sum by (app) (count_over_time({app=~\"api|web\"}[1h]))") + "&time="
        + NOW).body();
    assertThat(r).contains("\"result\":[{\"metric\":{\"app\":\"api\"},\"value\":[" + NOW / 1_000_000_000L
        + ",\"3\"]},{\"metric\":{\"app\":\"web\"},\"value\":[" + NOW / 1_000_000_000L + ",\"1\"]}]");
    r = get("/loki/api/v1/query?" + q("1+1") + "&time=" + NOW).body();
    assertThat(r).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":["
        + NOW / 1_000_000_000L + ",\"2\"],");
  }

  @Test
  void queryErrorsAreLokis() throws Exception {
    LokiApiTest.assertError(get("/loki/api/v1/query?" + q("{app=\"api\"}")), 400, "log queries are not supported "
        + "as an instant query type, please change your query to a range query type");
    LokiApiTest.assertError(get("/loki/api/v1/query_range?" + q("{app=\"api\"}") + "&limit=6000"), 400,
        "max entries limit per query exceeded, limit > max_entries_limit_per_query (6000 > 5000)");
    HttpResponse<String> tooLong = get("/loki/api/v1/query_range?" + q("{app=\"api\"}") + "&start=0&end=" + NOW
        + "&step=30d");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).startsWith("the query time range exceeds the limit (query length: ")
        .endsWith(", limit: 30d1h)");
    LokiApiTest.assertError(get("/loki/api/v1/query_range?" + q("{app=\"api\"} |~ \"(\"")), 400,
        "parse error : stage '|~ \"(\"' : error parsing regexp: missing closing ): `(`");
  }

  @Test
  void detectedFieldsFromMetadataJsonAndLogfmt() throws Exception {
    String r = get("/loki/api/v1/detected_fields?" + q("{app=\"api\"}") + "&start=" + (T1 - 1) + "&end=" + NOW)
        .body();
    assertThat(r).isEqualTo("{\"fields\":["
        + "{\"label\":\"bytes\",\"type\":\"bytes\",\"cardinality\":1,\"parsers\":[\"json\"]},"
        + "{\"label\":\"level\",\"type\":\"string\",\"cardinality\":2,\"parsers\":[\"json\",\"logfmt\"]},"
        + "{\"label\":\"msg\",\"type\":\"string\",\"cardinality\":2,\"parsers\":[\"logfmt\"]},"
        + "{\"label\":\"status\",\"type\":\"int\",\"cardinality\":2,\"parsers\":[\"logfmt\"]},"
        + "{\"label\":\"took\",\"type\":\"duration\",\"cardinality\":1,\"parsers\":[\"json\"]},"
        + "{\"label\":\"trace_id\",\"type\":\"string\",\"cardinality\":1,\"parsers\":null}],\"limit\":1000}");
    assertThat(get("/loki/api/v1/detected_field/status/values?" + q("{app=\"api\"}") + "&start=" + (T1 - 1)
        + "&end=" + NOW).body()).isEqualTo("{\"values\":[\"500\",\"200\"],\"limit\":1000}");
    assertThat(get("/loki/api/v1/detected_fields?" + q("{app=\"none\"}")).body()).isEqualTo("{}");
    LokiApiTest.assertError(get("/loki/api/v1/detected_fields?" + q("{app=\"api\"}") + "&line_limit=0"), 400,
        "limit must be a positive value");
    LokiApiTest.assertError(get("/loki/api/v1/detected_fields?" + q("count_over_time({app=\"api\"}[1m])")), 400,
        "only log selector is supported");
  }

  @Test
  void detectedLabelsLeaveOutIds() throws Exception {
    // instance_id has only a UUID: an id, left out; app has two values; namespace is kept whatever it holds.
    assertThat(get("/loki/api/v1/detected_labels?start=" + (T1 - 1) + "&end=" + NOW).body())
        .isEqualTo("{\"detectedLabels\":[{\"label\":\"app\",\"cardinality\":2},{\"label\":\"namespace\","
            + "\"cardinality\":1}]}");
    assertThat(get("/loki/api/v1/detected_labels?" + q("{app=\"none\"}")).body()).isEqualTo("{}");
  }
}

package io.sightline.api.loki;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.Server;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The index, format and build endpoints and Loki's parameter errors, on a real port with a real HTTP client. */
class LokiApiTest {
  static final long MINUTE = 60_000_000_000L;
  /** Whole seconds, so that times print without fractions. */
  static final long NOW = System.currentTimeMillis() / 1000 * 1_000_000_000L;
  static final long T1 = NOW - 30 * MINUTE;
  static final long T2 = NOW - 20 * MINUTE;
  static final long T3 = NOW - 10 * MINUTE;
  static final Labels API = Labels.of("app", "api", "env", "prod");
  static final Labels WEB = Labels.of("app", "web", "env", "dev");
  static final Labels DB = Labels.of("app", "db", "env", "prod", "pod", "db-0");
  private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @org.junit.jupiter.api.io.TempDir
  static java.nio.file.Path dir;
  private static io.sightline.logstore.LogStore store;
  private static Server server;

  @BeforeAll
  static void start() throws Exception {
    store = io.sightline.logstore.db.LogDb.open(dir, io.sightline.logstore.LogStoreConfig.defaults());
    Stores.push(store, API, new LogEntry(T1, "level=info msg=ok status=200", Labels.EMPTY),
        new LogEntry(T2, "level=error msg=fail status=500", Labels.EMPTY));
    Stores.push(store, WEB, new LogEntry(T2, "{\"level\":\"info\",\"path\":\"/x\",\"took\":\"15ms\"}",
        Labels.of("trace_id", "abc")));
    Stores.push(store, DB, new LogEntry(T3, "slow query", Labels.EMPTY));
    com.linecorp.armeria.server.ServerBuilder sb = Server.builder().http(0).gracefulShutdownTimeoutMillis(0, 0);
    new LokiApi(() -> store).addRoutes(sb);
    server = sb.build();
    server.start().join();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop().join();
    store.close();
  }

  static String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.activeLocalPort() + pathAndQuery;
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> postForm(String path, String form) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url(path)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Asserts Loki's plain-text error: the status, the exact body and the content type. */
  static void assertError(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(message);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
  }

  @Test
  void labelNamesAndValuesOfTheDefaultHour() throws Exception {
    assertThat(get("/loki/api/v1/labels").body()).isEqualTo("{\"status\":\"success\",\"data\":[\"app\",\"env\","
        + "\"pod\"]}");
    assertThat(get("/loki/api/v1/label").body()).isEqualTo(get("/loki/api/v1/labels").body());
    assertThat(get("/loki/api/v1/labels?query=" + enc("{env=\"dev\"}")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"app\",\"env\"]}");
    assertThat(get("/loki/api/v1/label/app/values").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"db\",\"web\"]}");
    assertThat(get("/loki/api/v1/label/app/values?query=" + enc("{env=\"prod\"}")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"db\"]}");
    // The range ends before the newest line: start and end in Unix seconds and RFC 3339.
    assertThat(get("/loki/api/v1/label/app/values?start=" + (T1 / 1_000_000_000L) + "&end="
        + java.time.Instant.ofEpochSecond(T2 / 1_000_000_000L)).body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"api\"]}");
    // Nothing found: Loki leaves data out.
    assertThat(get("/loki/api/v1/label/nope/values").body()).isEqualTo("{\"status\":\"success\"}");
    assertThat(postForm("/loki/api/v1/label/app/values", "since=15m").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"db\"]}");
  }

  @Test
  void labelErrorsAreLokis() throws Exception {
    assertError(get("/loki/api/v1/labels?start=abc"), 400,
        "could not parse 'start' parameter: strconv.ParseInt: parsing \"abc\": invalid syntax");
    assertError(get("/loki/api/v1/labels?since=1x"), 400,
        "could not parse 'since' parameter: not a valid duration string: \"1x\"");
    assertError(get("/loki/api/v1/labels?query=" + enc("{app=\"api\"")), 400,
        "parse error at line 1, col 11: syntax error: unexpected $end, expecting } or ,");
    assertError(get("/loki/api/v1/labels?query=" + enc("{app=~\".*\"}")), 400,
        "parse error : queries require at least one regexp or equality matcher that does not have an "
            + "empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will");
    assertError(get("/loki/api/v1/labels?start=0&end=1000000000000000000"), 400,
        "the query time range exceeds the limit (query length: 277777h46m40s, limit: 30d1h)");
    assertThat(client.send(HttpRequest.newBuilder(URI.create(url("/loki/api/v1/labels")))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
  }

  @Test
  void seriesByMatchers() throws Exception {
    String all = "{\"status\":\"success\",\"data\":[{\"app\":\"api\",\"env\":\"prod\"},"
        + "{\"app\":\"db\",\"env\":\"prod\","
        + "\"pod\":\"db-0\"},{\"app\":\"web\",\"env\":\"dev\"}]}";
    assertThat(get("/loki/api/v1/series").body()).isEqualTo(all);
    assertThat(get("/loki/api/v1/series?match[]=" + enc("{}")).body()).isEqualTo(all);
    assertThat(get("/loki/api/v1/series?match[]=" + enc("{app=\"web\"}") + "&match[]=" + enc("{pod=~\"db.*\"}"))
        .body()).isEqualTo("{\"status\":\"success\",\"data\":[{\"app\":\"db\",\"env\":\"prod\",\"pod\":\"db-0\"},"
            + "{\"app\":\"web\",\"env\":\"dev\"}]}");
    assertThat(postForm("/loki/api/v1/series", "match=" + enc("{app=\"none\"}")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    assertError(get("/loki/api/v1/series?match[]=" + enc("{app=\"web\"} |= \"x\"")), 400,
        "only label matchers are supported");
    assertError(get("/loki/api/v1/series?match[]=" + enc("{app=}")), 400,
        "parse error at line 1, col 6: syntax error: unexpected }, expecting STRING");
  }

  @Test
  void indexStatsSumTheSelectedStreams() throws Exception {
    assertThat(get("/loki/api/v1/index/stats?query=" + enc("{env=\"prod\"}")).body())
        .isEqualTo("{\"streams\":2,\"chunks\":2,\"bytes\":" + (28 + 31 + 10) + ",\"entries\":3}");
    assertThat(get("/loki/api/v1/index/stats?query=" + enc("{env=\"none\"}")).body())
        .isEqualTo("{\"streams\":0,\"chunks\":0,\"bytes\":0,\"entries\":0}");
    assertError(get("/loki/api/v1/index/stats"), 400, "parse error : syntax error: unexpected $end");
  }

  /** Volumes are bytes of lines and structured metadata (the web line has 42 and {trace_id="abc"} 11). */
  @Test
  void volumeGroupsByTheSelectorsLabels() throws Exception {
    String end = Long.toString(NOW);
    String stats = statsPrefix();
    String r = get("/loki/api/v1/index/volume?query=" + enc("{env=~\".+\"}") + "&end=" + end).body();
    String ts = Long.toString(NOW / 1_000_000_000L);
    assertThat(r).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"env\":\"prod\"},\"value\":[" + ts + ",\"69\"]},"
        + "{\"metric\":{\"env\":\"dev\"},\"value\":[" + ts + ",\"53\"]}],\"stats\":" + stats + "}}");
    r = get("/loki/api/v1/index/volume?query=" + enc("{env=~\".+\"}") + "&end=" + end
        + "&targetLabels=app&limit=2").body();
    assertThat(r).contains("\"result\":[{\"metric\":{\"app\":\"api\"},\"value\":[" + ts + ",\"59\"]},"
        + "{\"metric\":{\"app\":\"web\"},\"value\":[" + ts + ",\"53\"]}]");
    r = get("/loki/api/v1/index/volume?query=" + enc("{env=\"prod\"}") + "&end=" + end
        + "&aggregateBy=labels").body();
    assertThat(r).contains("\"result\":[{\"metric\":{\"app\":\"\"},\"value\":[" + ts + ",\"69\"]},"
        + "{\"metric\":{\"env\":\"\"},\"value\":[" + ts + ",\"69\"]},{\"metric\":{\"pod\":\"\"},\"value\":["
        + ts + ",\"10\"]}]");
    assertError(get("/loki/api/v1/index/volume?query=" + enc("{env=\"prod\"}") + "&aggregateBy=pods"), 400,
        "invalid aggregation option");
    assertError(get("/loki/api/v1/index/volume?query=" + enc("{env=\"prod\"}") + "&limit=-1"), 400,
        "limit must be a positive value");
  }

  /** As Loki's index counts them, each bucket a chunk overlaps gets the whole chunk's bytes. */
  @Test
  void volumeRangeHasABucketPerStep() throws Exception {
    long start = NOW - 40 * MINUTE;
    long step = 10 * MINUTE;
    String r = get("/loki/api/v1/index/volume_range?query=" + enc("{app=\"api\"}") + "&start=" + start + "&end="
        + NOW + "&step=10m").body();
    long b0 = (start - Math.floorMod(start, step) + step) / 1_000_000L - 1;
    long b1 = (T1 - Math.floorMod(T1, step) + step) / 1_000_000L - 1;
    assertThat(r).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"app\":\"api\"},\"values\":[[" + java.math.BigDecimal.valueOf(b1, 3).toPlainString()
        + ",\"59\"],");
    assertThat(r).doesNotContain("[" + java.math.BigDecimal.valueOf(b0, 3).toPlainString() + ",");
    assertError(get("/loki/api/v1/index/volume_range?query=" + enc("{app=\"api\"}") + "&step=-1"), 400,
        LokiParams.ZERO_OR_NEGATIVE_STEP);
  }

  @Test
  void formatQueryAndBuildInfo() throws Exception {
    assertThat(get("/loki/api/v1/format_query?query=" + enc("sum by(app)(rate({app=\"api\"}|=\"x\"[5m]))")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":\"sum by (app)(rate({app=\\\"api\\\"} |= \\\"x\\\"[5m]))\"}");
    HttpResponse<String> bad = get("/loki/api/v1/format_query?query=" + enc("{app="));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("{\"status\":\"invalid-query\",\"error\":\"parse error at line 1, col 6: "
        + "syntax error: unexpected $end, expecting STRING\"}");
    assertError(get("/loki/api/v1/patterns?query=" + enc("{app=\"api\"}")), 404, "");
    assertThat(get("/loki/api/v1/drilldown-limits").body()).contains("\"max_entries_limit_per_query\":5000,")
        .contains("\"max_query_length\":\"30d1h\"").contains("\"query_timeout\":\"1m\"")
        .endsWith("\"pattern_ingester_enabled\":false,\"version\":\"" + LokiApi.REPORTED_VERSION + "\"}");
    assertThat(get("/loki/api/v1/status/buildinfo").body()).startsWith("{\"version\":\"" + LokiApi.REPORTED_VERSION
        + "\",\"revision\":");
  }

  @Test
  void rangeParametersAreCheckedAsLokiChecksThem() throws Exception {
    String q = "/loki/api/v1/query_range?query=" + enc("{app=\"api\"}");
    assertError(get(q + "&start=200&end=100"), 400, LokiParams.END_BEFORE_START);
    assertError(get(q + "&step=0"), 400, LokiParams.ZERO_OR_NEGATIVE_STEP);
    assertError(get(q + "&step=abc"), 400, "cannot parse \"abc\" to a valid duration");
    assertError(get(q + "&start=0&end=" + NOW + "&step=1"), 400, LokiParams.STEP_TOO_SMALL);
    assertError(get(q + "&direction=sideways"), 400, "invalid direction 'sideways'");
    assertError(get(q + "&limit=0"), 400, "limit must be a positive value");
    assertError(get(q + "&limit=ten"), 400, "strconv.Atoi: parsing \"ten\": invalid syntax");
    assertError(get(q + "&interval=-1s"), 400, "cannot parse \"-1s\" to a valid duration");
    assertError(get(q + "&interval=-1"), 400, "interval must be >= 0");
    assertError(get(q + "&end=yesterday"), 400,
        "could not parse 'end' parameter: strconv.ParseInt: parsing \"yesterday\": invalid syntax");
    assertError(get("/loki/api/v1/query_range?query=" + enc("{app=\"api\"} |= ")), 400,
        "parse error at line 1, col 16: syntax error: unexpected $end, expecting STRING or ip");
    assertError(get("/loki/api/v1/query?query=" + enc("sum(rate({app=\"api\"}[5m])") + "&time=x"), 400,
        "strconv.ParseInt: parsing \"x\": invalid syntax");
    assertError(get("/loki/api/v1/query?query=" + enc("sum(rate({app=\"api\"}[5m])")), 400,
        "parse error at line 1, col 26: syntax error: unexpected $end");
  }

  /** Loki's all-zero statistics, as the volume endpoints return them. */
  static String statsPrefix() {
    return new String(LokiJson.bytes(g -> LokiJson.stats(g, null)), StandardCharsets.UTF_8);
  }
}

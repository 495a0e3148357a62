package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry SDK sends three traces, five minutes in the past, from two services (frontend over OTLP/gRPC,
 * backend over OTLP/HTTP) to a server with its default pipelines; Tempo's search, autocomplete and TraceQL metrics
 * APIs then answer as Grafana's Tempo data source expects. Trace 1: frontend {@code GET /checkout} (server, 200) calls
 * backend {@code charge} (error). Trace 2: frontend {@code GET /home} (200) alone. Trace 3: backend {@code cron}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TempoSearchApisTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;
  private Sightline server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Instant base = Instant.now().minusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
  private String checkoutTrace;
  private String homeTrace;
  private String cronTrace;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start("{}", dataDir, new RecordingExporterFactory());
    SdkTracerProvider frontend = provider("frontend", OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc")).build());
    SdkTracerProvider backend = provider("backend", OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("http") + "/v1/traces").build());
    try {
      Tracer f = frontend.get("shop");
      Tracer b = backend.get("billing");
      Span checkout = f.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.response.status_code", 200L).setStartTimestamp(at(1_000)).startSpan();
      Span charge = b.spanBuilder("charge").setSpanKind(SpanKind.SERVER)
          .setParent(Context.root().with(checkout)).setStartTimestamp(at(1_100)).startSpan();
      charge.setStatus(StatusCode.ERROR, "card declined");
      charge.end(at(1_400));
      checkout.end(at(1_500));
      Span home = f.spanBuilder("GET /home").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.response.status_code", 200L).setStartTimestamp(at(20_000)).startSpan();
      home.end(at(20_050));
      Span cron = b.spanBuilder("cron").setSpanKind(SpanKind.INTERNAL).setStartTimestamp(at(40_000)).startSpan();
      cron.end(at(42_000));
      checkoutTrace = checkout.getSpanContext().getTraceId();
      homeTrace = home.getSpanContext().getTraceId();
      cronTrace = cron.getSpanContext().getTraceId();
      assertThat(frontend.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(backend.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      frontend.shutdown().join(10, TimeUnit.SECONDS);
      backend.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Instant at(long millisAfterBase) {
    return base.plusMillis(millisAfterBase);
  }

  private static SdkTracerProvider provider(String service, SpanExporter exporter) {
    return SdkTracerProvider.builder().setResource(Resource.create(Attributes.builder()
        .put("service.name", service).build())).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  }

  @Test
  void traceqlSearchAnswersInTemposShape() throws Exception {
    JsonNode r = ok("/api/search?q=" + enc("{resource.service.name=\"frontend\"}"));
    assertThat(ids(r)).containsExactly(trimmed(homeTrace), trimmed(checkoutTrace));
    JsonNode checkout = r.get("traces").get(1);
    assertThat(checkout.get("rootServiceName").asText()).isEqualTo("frontend");
    assertThat(checkout.get("rootTraceName").asText()).isEqualTo("GET /checkout");
    assertThat(checkout.get("startTimeUnixNano").asText()).isEqualTo(nanos(at(1_000)));
    assertThat(checkout.get("durationMs").asInt()).isEqualTo(500);
    JsonNode span = checkout.get("spanSets").get(0).get("spans").get(0);
    assertThat(span.get("name").asText()).isEqualTo("GET /checkout");
    assertThat(span.get("durationNanos").asText()).isEqualTo("500000000");
    assertThat(span.get("attributes").get(0).toString())
        .isEqualTo("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"frontend\"}}");
    assertThat(checkout.get("spanSets").get(0).get("matched").asInt()).isEqualTo(1);
    assertThat(checkout.get("spanSet")).isEqualTo(checkout.get("spanSets").get(0));
    assertThat(checkout.get("serviceStats").toString())
        .isEqualTo("{\"backend\":{\"spanCount\":1,\"errorCount\":1},\"frontend\":{\"spanCount\":1}}");
    assertThat(r.get("metrics").get("inspectedTraces").asInt()).isBetween(2, 3);
    assertThat(r.get("metrics").get("inspectedBytes").isTextual()).isTrue();
    assertThat(r.get("metrics").get("completedJobs").asInt()).isEqualTo(1);
  }

  @Test
  void structuralAggregateAndWindowedSearches() throws Exception {
    JsonNode structural = ok("/api/search?q=" + enc("{resource.service.name=\"frontend\"} >> {status=error}"));
    assertThat(ids(structural)).containsExactly(trimmed(checkoutTrace));
    assertThat(structural.get("traces").get(0).get("spanSets").get(0).get("spans").get(0).get("name").asText())
        .isEqualTo("charge");
    assertThat(ids(ok("/api/search?q=" + enc("{} | count() > 1")))).containsExactly(trimmed(checkoutTrace));
    assertThat(ids(ok("/api/search?q=" + enc("{duration > 1s}")))).containsExactly(trimmed(cronTrace));
    assertThat(ok("/api/search?limit=1&q=" + enc("{}")).get("traces")).hasSize(1);
    long start = base.getEpochSecond();
    // The window [base+30s, base+60s] holds only the cron trace.
    assertThat(ids(ok("/api/search?start=" + (start + 30) + "&end=" + (start + 60) + "&q=" + enc("{}"))))
        .containsExactly(trimmed(cronTrace));
  }

  @Test
  void legacyTagSearchMatchesSubstringsAndKeepsTraceFieldsOnly() throws Exception {
    JsonNode r = ok("/api/search?tags=" + enc("name=GET"));
    assertThat(ids(r)).containsExactly(trimmed(homeTrace), trimmed(checkoutTrace));
    assertThat(r.get("traces").get(0).has("spanSets")).isFalse();
    assertThat(ids(ok("/api/search?tags=" + enc("service.name=back") + "&minDuration=1s")))
        .containsExactly(trimmed(cronTrace));
    assertThat(ids(ok("/api/search?tags=" + enc("status.code=error")))).containsExactly(trimmed(checkoutTrace));
  }

  @Test
  void malformedQueriesAndParametersAre400WithTemposText() throws Exception {
    HttpResponse<String> parse = get("/api/search?q=" + enc("{ .a = }"));
    assertThat(parse.statusCode()).isEqualTo(400);
    assertThat(parse.body()).startsWith("invalid TraceQL query: parse error at line 1, col ");
    HttpResponse<String> limit = get("/api/search?q=" + enc("{}") + "&limit=x");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.body()).isEqualTo("invalid limit: strconv.ParseUint: parsing \"x\": invalid syntax");
    HttpResponse<String> metrics = get("/api/metrics/query_range?q=" + enc("{} | rate("));
    assertThat(metrics.statusCode()).isEqualTo(400);
    assertThat(metrics.body()).startsWith("parse error at line 1, col ");
    HttpResponse<String> search = get("/api/metrics/query_range?q=" + enc("{}"));
    assertThat(search.statusCode()).isEqualTo(400);
    assertThat(search.body()).isEqualTo("not a metrics query");
  }

  @Test
  void tagNamesV1AndV2() throws Exception {
    List<String> names = texts(ok("/api/search/tags").get("tagNames"));
    assertThat(names).contains("http.response.status_code", "service.name").isSorted();
    assertThat(texts(ok("/api/search/tags?scope=intrinsic").get("tagNames"))).contains("duration", "name",
        "span:status", "trace:rootService");
    JsonNode v2 = ok("/api/v2/search/tags");
    List<String> scopes = new ArrayList<>();
    v2.get("scopes").forEach(s -> scopes.add(s.get("name").asText()));
    assertThat(scopes).contains("resource", "span", "intrinsic");
    JsonNode span = ok("/api/v2/search/tags?scope=span").get("scopes");
    assertThat(span).hasSize(1);
    assertThat(texts(span.get(0).get("tags"))).containsExactly("http.response.status_code");
    JsonNode filtered = ok("/api/v2/search/tags?scope=span&q=" + enc("{resource.service.name=\"backend\"}"));
    assertThat(filtered.get("scopes")).isEmpty();
    assertThat(get("/api/search/tags?scope=bogus").body()).isEqualTo("invalid scope: bogus");
  }

  @Test
  void tagValuesV1AndV2() throws Exception {
    assertThat(texts(ok("/api/search/tag/service.name/values").get("tagValues")))
        .containsExactly("backend", "frontend");
    assertThat(ok("/api/v2/search/tag/resource.service.name/values").get("tagValues").toString())
        .isEqualTo("[{\"type\":\"string\",\"value\":\"backend\"},{\"type\":\"string\",\"value\":\"frontend\"}]");
    assertThat(ok("/api/v2/search/tag/span.http.response.status_code/values").get("tagValues").toString())
        .isEqualTo("[{\"type\":\"int\",\"value\":\"200\"}]");
    assertThat(ok("/api/v2/search/tag/status/values").get("tagValues").toString()).isEqualTo(
        "[{\"type\":\"keyword\",\"value\":\"ok\"},{\"type\":\"keyword\",\"value\":\"error\"},"
            + "{\"type\":\"keyword\",\"value\":\"unset\"}]");
    assertThat(ok("/api/v2/search/tag/name/values?q=" + enc("{resource.service.name=\"backend\"}"))
        .get("tagValues").toString())
        .isEqualTo("[{\"type\":\"string\",\"value\":\"charge\"},{\"type\":\"string\",\"value\":\"cron\"}]");
  }

  @Test
  void metricsQueryRangeRatesPerService() throws Exception {
    long start = base.getEpochSecond() - 60;
    long end = base.getEpochSecond() + 120;
    JsonNode r = ok("/api/metrics/query_range?q=" + enc("{} | rate() by (resource.service.name)")
        + "&start=" + start + "&end=" + end + "&step=60s");
    JsonNode series = r.get("series");
    assertThat(series).hasSize(2);
    assertThat(series.get(0).get("labels").toString())
        .isEqualTo("[{\"key\":\"resource.service.name\",\"value\":{\"stringValue\":\"backend\"}}]");
    // Each service has two spans, so its rates over 60s steps add up to 2/60.
    for (JsonNode s : series) {
      double sum = 0;
      for (JsonNode sample : s.get("samples")) {
        assertThat(sample.get("timestampMs").isTextual()).isTrue();
        sum += sample.path("value").asDouble(0);
      }
      assertThat(sum * 60).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(s.get("exemplars").get(0).get("labels").get(0).get("key").asText()).isEqualTo("trace:id");
    }
    assertThat(r.get("metrics").get("inspectedTraces").asInt()).isEqualTo(3);
    JsonNode instant = ok("/api/metrics/query?q=" + enc("{status=error} | count_over_time()") + "&start=" + start
        + "&end=" + end);
    assertThat(instant.get("series").toString()).isEqualTo(
        "[{\"labels\":[{\"key\":\"__name__\",\"value\":{\"stringValue\":\"count_over_time\"}}],\"value\":1}]");
  }

  private JsonNode ok(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(pathAndQuery);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> ids(JsonNode search) {
    List<String> ids = new ArrayList<>();
    search.get("traces").forEach(t -> ids.add(t.get("traceID").asText()));
    return ids;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Tempo writes trace ids without leading zeros. */
  private static String trimmed(String hex) {
    return hex.replaceFirst("^0+", "");
  }

  private static String nanos(Instant t) {
    return Long.toString(t.getEpochSecond() * 1_000_000_000L + t.getNano());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

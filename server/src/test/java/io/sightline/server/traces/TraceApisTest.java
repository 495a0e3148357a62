package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK sends one trace across two services (over OTLP/gRPC and OTLP/HTTP) to a server with its
 * default pipelines; Tempo's and Jaeger's APIs then give it back: Tempo's span for span as the SDK encoded it, Jaeger's
 * in its UI model, with services, operations, search and dependencies; after a restart, the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceApisTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;
  private Sightline server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<SpanData> sent = new ArrayList<>();
  private String traceId;
  private String paymentSpanId;
  private String clientSpanId;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start("{}", dataDir, new RecordingExporterFactory());
    InMemorySpanExporter orderCopy = InMemorySpanExporter.create();
    InMemorySpanExporter paymentCopy = InMemorySpanExporter.create();
    SdkTracerProvider order = provider(resource("order-service", "1.4.2"), OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc")).build(), orderCopy);
    SdkTracerProvider payment = provider(resource("payment-service", "0.9.0"), OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("http") + "/v1/traces").build(),
        paymentCopy);
    try {
      Tracer orders = order.get("io.sightline.demo.orders", "1.0.0");
      Tracer payments = payment.get("io.sightline.demo.payments");
      Span root = orders.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "POST").setAttribute("http.response.status_code", 502L)
          .setAttribute("order.value", 99.5).setAttribute("order.express", true)
          .setAttribute(AttributeKey.stringArrayKey("order.items"), List.of("book", "pen"))
          .setAttribute(AttributeKey.longArrayKey("order.quantities"), List.of(1L, 3L)).startSpan();
      root.addEvent("order.validated", Attributes.of(AttributeKey.longKey("items"), 2L));
      Span client = orders.spanBuilder("POST /pay").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(root)).setAttribute("server.address", "payment-service").startSpan();
      // The payment service continues the trace from the propagated context, which carries a trace state.
      SpanContext propagated = SpanContext.createFromRemoteParent(client.getSpanContext().getTraceId(),
          client.getSpanContext().getSpanId(), TraceFlags.getSampled(),
          TraceState.builder().put("vendor", "blue").build());
      Span charge = payments.spanBuilder("charge").setSpanKind(SpanKind.SERVER)
          .setParent(Context.root().with(Span.wrap(propagated)))
          .addLink(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(),
              TraceState.getDefault()), Attributes.of(AttributeKey.stringKey("link.reason"), "retry-of"))
          .startSpan();
      charge.recordException(new IllegalStateException("card declined"));
      charge.setStatus(StatusCode.ERROR, "card declined");
      Span db = payments.spanBuilder("SELECT accounts").setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(charge)).setAttribute("db.system.name", "postgresql").startSpan();
      db.end();
      charge.end();
      client.setStatus(StatusCode.ERROR);
      client.end();
      root.end();
      traceId = root.getSpanContext().getTraceId();
      clientSpanId = client.getSpanContext().getSpanId();
      paymentSpanId = charge.getSpanContext().getSpanId();
      assertThat(order.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(payment.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      // Before the shutdown, which empties the in-memory exporters.
      sent.addAll(orderCopy.getFinishedSpanItems());
      sent.addAll(paymentCopy.getFinishedSpanItems());
    } finally {
      order.shutdown().join(10, TimeUnit.SECONDS);
      payment.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(sent).hasSize(4);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static Resource resource(String name, String version) {
    return Resource.create(Attributes.builder().put("service.name", name).put("service.version", version)
        .put("host.name", "shop-1").put("deployment.environment.name", "test").build());
  }

  private static SdkTracerProvider provider(Resource resource, SpanExporter exporter, InMemorySpanExporter copy) {
    return SdkTracerProvider.builder().setResource(resource).addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .addSpanProcessor(SimpleSpanProcessor.create(copy)).build();
  }

  @Test
  void tempoGivesBackEverySpanAsTheSdkEncodedIt() throws Exception {
    assertSpansAsSent(tempoTrace(server.httpPort()));
  }

  @Test
  void tempoV1JsonNamesTheResourceSpansBatchesAndUsesBase64Ids() throws Exception {
    HttpResponse<String> r = get(server.httpPort(), "/api/traces/" + traceId, "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.has("batches")).isTrue();
    List<String> spanIds = new ArrayList<>();
    for (JsonNode rs : body.get("batches")) {
      for (JsonNode ss : rs.get("scopeSpans")) {
        for (JsonNode span : ss.get("spans")) {
          assertThat(span.get("traceId").asText()).isEqualTo(base64(traceId));
          spanIds.add(span.get("spanId").asText());
        }
      }
    }
    assertThat(spanIds).hasSize(4).contains(base64(paymentSpanId));
    JsonNode v2 = JSON.readTree(get(server.httpPort(), "/api/v2/traces/" + traceId, "application/json").body());
    assertThat(v2.get("trace").get("resourceSpans")).hasSize(2);
    assertThat(v2.get("metrics").get("inspectedBytes").asText()).matches("[1-9][0-9]*");
    assertThat(get(server.httpPort(), "/api/echo", "*/*").body()).isEqualTo("echo");
  }

  @Test
  void tempoAnswersUnknownAndMalformedIdsAsTempoDoes() throws Exception {
    for (String path : List.of("/api/traces/", "/api/v2/traces/")) {
      HttpResponse<String> missing = get(server.httpPort(), path + "4bf92f3577b34da6a3ce929d0e0e4736", "*/*");
      assertThat(missing.statusCode()).isEqualTo(404);
      HttpResponse<String> bad = get(server.httpPort(), path + "xyz", "*/*");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).isEqualTo("trace IDs can only contain hex characters: invalid character 'x' at position 1");
      HttpResponse<String> long33 = get(server.httpPort(), path + "1".repeat(33), "*/*");
      assertThat(long33.statusCode()).isEqualTo(400);
      assertThat(long33.body()).isEqualTo("trace IDs can't be larger than 128 bits");
      HttpResponse<String> range = get(server.httpPort(), path + traceId + "?start=20&end=10", "*/*");
      assertThat(range.statusCode()).isEqualTo(400);
      assertThat(range.body()).startsWith("http parameter start must be before end");
    }
  }

  @Test
  void jaegerShowsTheTraceInItsUiModel() throws Exception {
    JsonNode body = jaeger("/jaeger/api/traces/" + traceId);
    assertThat(body.get("errors").isNull()).isTrue();
    JsonNode trace = body.get("data").get(0);
    assertThat(trace.get("traceID").asText()).isEqualTo(traceId);
    Map<String, JsonNode> spans = new HashMap<>();
    trace.get("spans").forEach(s -> spans.put(s.get("spanID").asText(), s));
    assertThat(spans).hasSize(4);
    JsonNode charge = spans.get(paymentSpanId);
    assertThat(charge.get("operationName").asText()).isEqualTo("charge");
    assertThat(charge.get("references").get(0).get("refType").asText()).isEqualTo("CHILD_OF");
    assertThat(charge.get("references").get(0).get("spanID").asText()).isEqualTo(clientSpanId);
    assertThat(charge.get("references").get(1).get("refType").asText()).isEqualTo("FOLLOWS_FROM");
    assertThat(charge.get("references").get(1).get("traceID").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    Map<String, String> tags = new HashMap<>();
    charge.get("tags").forEach(t -> tags.put(t.get("key").asText(), t.get("value").asText()));
    assertThat(tags).containsEntry("otel.scope.name", "io.sightline.demo.payments")
        .containsEntry("span.kind", "server").containsEntry("otel.status_code", "ERROR").containsEntry("error", "true")
        .containsEntry("otel.status_description", "card declined").containsEntry("w3c.tracestate", "vendor=blue");
    JsonNode log = charge.get("logs").get(0);
    assertThat(log.get("fields").get(0).get("key").asText()).isEqualTo("event");
    assertThat(log.get("fields").get(0).get("value").asText()).isEqualTo("exception");
    String process = charge.get("processID").asText();
    assertThat(trace.get("processes").get(process).get("serviceName").asText()).isEqualTo("payment-service");
    Map<String, String> processTags = new HashMap<>();
    trace.get("processes").get(process).get("tags")
        .forEach(t -> processTags.put(t.get("key").asText(), t.get("value").asText()));
    assertThat(processTags).containsEntry("service.version", "0.9.0").containsEntry("host.name", "shop-1")
        .doesNotContainKey("service.name");
    SpanData sentCharge = sent.stream().filter(s -> s.getSpanId().equals(paymentSpanId)).findFirst().orElseThrow();
    assertThat(charge.get("startTime").asLong()).isEqualTo(sentCharge.getStartEpochNanos() / 1000);
    assertThat(charge.get("duration").asLong())
        .isEqualTo((sentCharge.getEndEpochNanos() - sentCharge.getStartEpochNanos()) / 1000);
    JsonNode root = spans.values().stream().filter(s -> s.get("operationName").asText().equals("POST /orders"))
        .findFirst().orElseThrow();
    Map<String, JsonNode> rootTags = new HashMap<>();
    root.get("tags").forEach(t -> rootTags.put(t.get("key").asText(), t));
    assertThat(rootTags.get("http.response.status_code").get("type").asText()).isEqualTo("int64");
    assertThat(rootTags.get("http.response.status_code").get("value").asLong()).isEqualTo(502);
    assertThat(rootTags.get("order.value").get("type").asText()).isEqualTo("float64");
    assertThat(rootTags.get("order.express").get("value").asBoolean()).isTrue();
    assertThat(rootTags.get("order.items").get("value").asText()).isEqualTo("[\"book\",\"pen\"]");
  }

  @Test
  void jaegerListsServicesAndOperations() throws Exception {
    JsonNode services = jaeger("/jaeger/api/services");
    List<String> names = new ArrayList<>();
    services.get("data").forEach(n -> names.add(n.asText()));
    assertThat(names).containsExactly("order-service", "payment-service");
    assertThat(services.get("total").asInt()).isEqualTo(2);
    JsonNode operations = jaeger("/jaeger/api/operations?service=order-service");
    List<String> ops = new ArrayList<>();
    operations.get("data").forEach(o -> ops.add(o.get("name").asText() + "/" + o.get("spanKind").asText()));
    assertThat(ops).containsExactly("POST /orders/server", "POST /pay/client");
    JsonNode servers = jaeger("/jaeger/api/operations?service=payment-service&spanKind=client");
    assertThat(servers.get("data")).hasSize(1);
    assertThat(servers.get("data").get(0).get("name").asText()).isEqualTo("SELECT accounts");
    JsonNode legacy = jaeger("/jaeger/api/services/payment-service/operations");
    List<String> legacyOps = new ArrayList<>();
    legacy.get("data").forEach(o -> legacyOps.add(o.asText()));
    assertThat(legacyOps).containsExactly("SELECT accounts", "charge");
    HttpResponse<String> noService = get(server.httpPort(), "/jaeger/api/operations", "*/*");
    assertThat(noService.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noService.body()).get("errors").get(0).get("msg").asText())
        .isEqualTo("parameter 'service' is required");
  }

  @Test
  void jaegerSearchFindsTheTraceByServiceOperationTagsAndDuration() throws Exception {
    long start = sent.stream().mapToLong(SpanData::getStartEpochNanos).min().orElseThrow() / 1000 - 1_000_000;
    long end = System.currentTimeMillis() * 1000 + 1_000_000;
    String window = "&start=" + start + "&end=" + end;
    assertThat(searchIds("service=payment-service&tags=" + enc("{\"error\":\"true\"}") + window))
        .containsExactly(traceId);
    assertThat(searchIds("service=order-service&operation=" + enc("POST /orders") + "&tag=order.express:true" + window))
        .containsExactly(traceId);
    assertThat(searchIds("service=order-service&tag=http.request.method:GET" + window)).isEmpty();
    assertThat(searchIds("service=payment-service&minDuration=1h" + window)).isEmpty();
    assertThat(searchIds("service=payment-service&maxDuration=1h&limit=5" + window)).containsExactly(traceId);
    assertThat(searchIds("traceID=" + traceId)).containsExactly(traceId);
    HttpResponse<String> bad = get(server.httpPort(), "/jaeger/api/traces?service=x&minDuration=abc", "*/*");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("errors").get(0).get("msg").asText())
        .isEqualTo("unable to parse param 'minDuration': time: invalid duration \"abc\"");
    HttpResponse<String> inverted = get(server.httpPort(), "/jaeger/api/traces?service=x&minDuration=2s&maxDuration=1s",
        "*/*");
    assertThat(JSON.readTree(inverted.body()).get("errors").get(0).get("msg").asText())
        .isEqualTo("'maxDuration' should be greater than 'minDuration'");
  }

  @Test
  void jaegerDependenciesCountCallsBetweenServices() throws Exception {
    JsonNode deps = jaeger("/jaeger/api/dependencies?endTs=" + (System.currentTimeMillis() + 60_000)
        + "&lookback=3600000");
    assertThat(deps.get("data")).hasSize(1);
    assertThat(deps.get("data").get(0).get("parent").asText()).isEqualTo("order-service");
    assertThat(deps.get("data").get(0).get("child").asText()).isEqualTo("payment-service");
    assertThat(deps.get("data").get(0).get("callCount").asLong()).isEqualTo(1);
  }

  @Test
  void jaegerAnswersUnknownAndMalformedIdsAsJaegerDoes() throws Exception {
    HttpResponse<String> missing = get(server.httpPort(), "/jaeger/api/traces/4bf92f3577b34da6a3ce929d0e0e4736", "*/*");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo(
        "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}\n");
    HttpResponse<String> bad = get(server.httpPort(), "/jaeger/api/traces/xyz!", "*/*");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("errors").get(0).get("code").asInt()).isEqualTo(400);
  }

  @Test
  void aRestartedServerStillHasTheTrace() throws Exception {
    Path otherDir = dataDir.resolveSibling(dataDir.getFileName() + "-restart");
    java.nio.file.Files.createDirectories(otherDir);
    // A server of its own, so that the other tests keep theirs.
    Sightline first = TestServers.start("{}", otherDir, new RecordingExporterFactory());
    String id;
    List<SpanData> copy;
    try {
      InMemorySpanExporter memory = InMemorySpanExporter.create();
      SdkTracerProvider p = provider(resource("restart-service", "1"), OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + first.receiverPorts("otlp").get("grpc")).build(), memory);
      Span s = p.get("t").spanBuilder("only").startSpan();
      s.end();
      id = s.getSpanContext().getTraceId();
      assertThat(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      copy = memory.getFinishedSpanItems();
      p.shutdown().join(10, TimeUnit.SECONDS);
    } finally {
      first.close();
    }
    Sightline second = TestServers.start("{}", otherDir, new RecordingExporterFactory());
    try {
      TracesData stored = tempoTraceById(second.httpPort(), id);
      assertThat(spansOf(stored)).hasSize(1);
      assertThat(spansOf(stored).get(0)).isEqualTo(spansOf(encode(copy)).get(0));
    } finally {
      second.close();
    }
  }

  private void assertSpansAsSent(TracesData stored) throws Exception {
    TracesData expected = encode(sent);
    Map<ByteString, ResourceSpans> storedBySpan = new HashMap<>();
    Map<ByteString, io.opentelemetry.proto.trace.v1.Span> storedSpans = new HashMap<>();
    Map<ByteString, ScopeSpans> storedScopes = new HashMap<>();
    for (ResourceSpans rs : stored.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
          storedBySpan.put(span.getSpanId(), rs);
          storedScopes.put(span.getSpanId(), ss);
          storedSpans.put(span.getSpanId(), span);
        }
      }
    }
    int compared = 0;
    for (ResourceSpans rs : expected.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
          assertThat(storedSpans.get(span.getSpanId())).as("span %s", span.getName()).isEqualTo(span);
          assertThat(storedBySpan.get(span.getSpanId()).getResource()).isEqualTo(rs.getResource());
          assertThat(storedBySpan.get(span.getSpanId()).getSchemaUrl()).isEqualTo(rs.getSchemaUrl());
          assertThat(storedScopes.get(span.getSpanId()).getScope()).isEqualTo(ss.getScope());
          assertThat(storedScopes.get(span.getSpanId()).getSchemaUrl()).isEqualTo(ss.getSchemaUrl());
          compared++;
        }
      }
    }
    assertThat(compared).isEqualTo(4);
    assertThat(storedSpans).hasSize(4);
  }

  /** What the SDK's OTLP exporters put on the wire for these spans. */
  private static TracesData encode(List<SpanData> spans) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return TracesData.newBuilder().addAllResourceSpans(ExportTraceServiceRequest.parseFrom(out.toByteArray())
        .getResourceSpansList()).build();
  }

  private static List<io.opentelemetry.proto.trace.v1.Span> spansOf(TracesData t) {
    List<io.opentelemetry.proto.trace.v1.Span> out = new ArrayList<>();
    t.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
    return out;
  }

  private TracesData tempoTrace(int port) throws Exception {
    return tempoTraceById(port, traceId);
  }

  /** Grafana's call: {@code /api/v2/traces/<id>} with {@code Accept: application/protobuf}. */
  private TracesData tempoTraceById(int port, String id) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v2/traces/" + id)).header("Accept", "application/protobuf").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/protobuf");
    // tempopb.TraceByIDResponse: field 1 is the trace (OTLP's TracesData on the wire).
    CodedInputStream in = CodedInputStream.newInstance(r.body());
    TracesData trace = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 == 1) {
        trace = TracesData.parseFrom(in.readBytes());
      } else {
        in.skipField(tag);
      }
    }
    assertThat(trace).isNotNull();
    return trace;
  }

  private List<String> searchIds(String query) throws Exception {
    List<String> ids = new ArrayList<>();
    jaeger("/jaeger/api/traces?" + query).get("data").forEach(t -> ids.add(t.get("traceID").asText()));
    return ids;
  }

  private JsonNode jaeger(String pathAndQuery) throws Exception {
    HttpResponse<String> r = get(server.httpPort(), pathAndQuery, "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(int port, String pathAndQuery, String accept) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
        .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String base64(String hex) {
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }
}

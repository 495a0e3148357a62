package io.sightline.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zipkin v2 spans, written as Brave and the Zipkin UI's "upload" send them, POSTed to {@code /api/v2/spans} of a
 * running server: answered 202 once stored, then read back through Tempo's and Jaeger's APIs; bad bodies get their
 * 4xx and leave the stored data and the server as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipkinIngestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Small, so that the 413 cases need no large bodies. */
  private static final int MAX_BODY = 64 * 1024;
  private static final String TRACE_ID = "5af7183fb1d4cf5f0af7651916cd43dd";

  @TempDir
  static Path dataDir;
  private Sightline server;
  /**
   * HTTP/1.1, as Zipkin reporters (Brave's URLConnection and okhttp senders) post: a body over the limit is refused
   * from its declared length, which on an h2c stream ends in a reset the JDK client may report before the 413.
   */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final long nowMicros = System.currentTimeMillis() * 1000;
  private TracesData stored;

  /** One request across three services: the client and server halves of one RPC share an id, as in Brave. */
  private String braveTrace() {
    long t = nowMicros;
    return """
        [
          {"traceId": "%1$s", "id": "0af7651916cd43dd", "kind": "SERVER", "name": "post /orders",
           "timestamp": %2$d, "duration": 25000,
           "localEndpoint": {"serviceName": "frontend", "ipv4": "10.0.0.1", "port": 8080},
           "remoteEndpoint": {"ipv6": "2001:db8::1", "port": 51000},
           "tags": {"http.method": "POST", "http.path": "/orders", "host.name": "web-1"}},
          {"traceId": "%1$s", "parentId": "0af7651916cd43dd", "id": "b7ad6b7169203331", "kind": "CLIENT",
           "name": "post", "timestamp": %3$d, "duration": 20000,
           "localEndpoint": {"serviceName": "frontend", "ipv4": "10.0.0.1"},
           "remoteEndpoint": {"serviceName": "payments", "ipv4": "10.0.0.2", "port": 9000},
           "annotations": [{"timestamp": %4$d, "value": "wire send"}],
           "tags": {"http.status_code": "402", "error": "payment declined"}},
          {"traceId": "%1$s", "parentId": "0af7651916cd43dd", "id": "b7ad6b7169203331", "kind": "SERVER",
           "name": "post /charge", "timestamp": %5$d, "duration": 15000, "shared": true,
           "localEndpoint": {"serviceName": "payments", "ipv4": "10.0.0.2", "port": 9000},
           "tags": {"otel.status_code": "Error", "otel.status_description": "card declined"}},
          {"traceId": "%1$s", "parentId": "b7ad6b7169203331", "id": "00f067aa0ba902b7", "kind": "CLIENT",
           "name": "select accounts", "timestamp": %6$d, "duration": 3000, "debug": true,
           "localEndpoint": {"serviceName": "payments"},
           "remoteEndpoint": {"serviceName": "postgres", "ipv4": "10.0.0.3", "port": 5432},
           "tags": {"sql.query": "SELECT * FROM accounts WHERE id = ?"}}
        ]
        """.formatted(TRACE_ID, t, t + 1000, t + 1100, t + 3000, t + 4000);
  }

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start("server: {http: {max_request_body_size: " + MAX_BODY + "}}", dataDir,
        new RecordingExporterFactory());
    HttpResponse<String> r = post(braveTrace().getBytes(StandardCharsets.UTF_8), "application/json", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
    stored = tempoTrace(TRACE_ID);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void tempoGivesBackTheTranslatedSpans() {
    Map<String, String> services = new HashMap<>();
    Map<String, Span> byName = new HashMap<>();
    for (ResourceSpans rs : stored.getResourceSpansList()) {
      String service = attributes(rs.getResource().getAttributesList()).get("service.name");
      rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> {
        byName.put(s.getName(), s);
        services.put(s.getName(), service);
      }));
    }
    assertThat(services).containsOnly(Map.entry("post /orders", "frontend"), Map.entry("post", "frontend"),
        Map.entry("post /charge", "payments"), Map.entry("select accounts", "payments"));
    Span root = byName.get("post /orders");
    assertThat(HexFormat.of().formatHex(root.getTraceId().toByteArray())).isEqualTo(TRACE_ID);
    assertThat(root.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(root.getStartTimeUnixNano()).isEqualTo(nowMicros * 1000);
    assertThat(root.getEndTimeUnixNano()).isEqualTo((nowMicros + 25000) * 1000);
    assertThat(attributes(root.getAttributesList())).containsExactly(Map.entry("http.method", "POST"),
        Map.entry("http.path", "/orders"), Map.entry("net.host.ip", "10.0.0.1"), Map.entry("net.host.port", "8080"),
        Map.entry("net.peer.ip", "2001:db8::1"), Map.entry("net.peer.port", "51000"));
    Span client = byName.get("post");
    assertThat(client.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(client.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attributes(client.getAttributesList())).containsEntry("peer.service", "payments")
        .containsEntry("error", "payment declined");
    assertThat(client.getEvents(0).getName()).isEqualTo("wire send");
    assertThat(client.getEvents(0).getTimeUnixNano()).isEqualTo((nowMicros + 1100) * 1000);
    Span charge = byName.get("post /charge");
    assertThat(charge.getSpanId()).isEqualTo(client.getSpanId());
    assertThat(charge.getStatus().getMessage()).isEqualTo("card declined");
    assertThat(HexFormat.of().formatHex(byName.get("select accounts").getParentSpanId().toByteArray()))
        .isEqualTo("b7ad6b7169203331");
  }

  @Test
  void jaegerShowsTheTraceWithItsServicesAndPeers() throws Exception {
    JsonNode trace = jaeger("/jaeger/api/traces/" + TRACE_ID).get("data").get(0);
    assertThat(trace.get("spans")).hasSize(4);
    Map<String, String> serviceOf = new HashMap<>();
    trace.get("processes").fields().forEachRemaining(p -> serviceOf.put(p.getKey(),
        p.getValue().get("serviceName").asText()));
    Map<String, JsonNode> byName = new HashMap<>();
    trace.get("spans").forEach(s -> byName.put(s.get("operationName").asText(), s));
    assertThat(serviceOf.get(byName.get("select accounts").get("processID").asText())).isEqualTo("payments");
    assertThat(serviceOf.get(byName.get("post /orders").get("processID").asText())).isEqualTo("frontend");
    Map<String, String> tags = new HashMap<>();
    byName.get("select accounts").get("tags").forEach(t -> tags.put(t.get("key").asText(), t.get("value").asText()));
    assertThat(tags).containsEntry("peer.service", "postgres").containsEntry("net.peer.ip", "10.0.0.3")
        .containsEntry("net.peer.port", "5432").containsEntry("span.kind", "client");
    JsonNode db = byName.get("select accounts");
    assertThat(db.get("references").get(0).get("spanID").asText()).isEqualTo("b7ad6b7169203331");
    assertThat(db.get("startTime").asLong()).isEqualTo(nowMicros + 4000);
    assertThat(db.get("duration").asLong()).isEqualTo(3000);
    assertThat(byName.get("post").get("logs").get(0).get("timestamp").asLong()).isEqualTo(nowMicros + 1100);
  }

  @Test
  void gzipJsonWithA64BitTraceIdIsFoundUnderItsPaddedId() throws Exception {
    String body = "[{\"traceId\":\"463ac35c9f6413ad\",\"id\":\"463ac35c9f6413ad\",\"name\":\"gzipped\","
        + "\"timestamp\":" + nowMicros + ",\"duration\":10,\"localEndpoint\":{\"serviceName\":\"zipkin-java\"}}]";
    HttpResponse<String> r = post(gzip(body.getBytes(StandardCharsets.UTF_8)), "application/json", "gzip");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    TracesData t = tempoTrace("0000000000000000463ac35c9f6413ad");
    assertThat(t.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("gzipped");
  }

  @Test
  void proto3ListOfSpansIsStored() throws Exception {
    ByteArrayOutputStream span = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(span);
    s.writeByteArray(1, HexFormat.of().parseHex("11111111111111112222222222222222"));
    s.writeByteArray(3, HexFormat.of().parseHex("3333333333333333"));
    s.writeEnum(4, 3); // PRODUCER
    s.writeString(5, "send order");
    s.writeFixed64(6, nowMicros);
    s.writeUInt64(7, 42);
    ByteArrayOutputStream endpoint = new ByteArrayOutputStream();
    CodedOutputStream e = CodedOutputStream.newInstance(endpoint);
    e.writeString(1, "queue-writer");
    e.flush();
    s.writeByteArray(8, endpoint.toByteArray());
    s.flush();
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    CodedOutputStream l = CodedOutputStream.newInstance(list);
    l.writeByteArray(1, span.toByteArray());
    l.flush();
    HttpResponse<String> r = post(list.toByteArray(), "application/x-protobuf", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    Span stored = tempoTrace("11111111111111112222222222222222").getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(stored.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
    assertThat(stored.getEndTimeUnixNano() - stored.getStartTimeUnixNano()).isEqualTo(42_000);
  }

  @Test
  void badRequestsGetTheirStatusAndChangeNothing() throws Exception {
    HttpResponse<String> malformed = post("[{\"traceId\":".getBytes(StandardCharsets.UTF_8), "application/json", null);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).startsWith("Malformed reading List<Span> from json: Unexpected end-of-input");
    HttpResponse<String> noId = post(("[{\"traceId\":\"" + TRACE_ID + "\",\"name\":\"overwrite?\"}]")
        .getBytes(StandardCharsets.UTF_8), "application/json", null);
    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(noId.body()).isEqualTo("valid span id required reading List<Span> from json at $[0].id\n");
    // A list with one bad span stores none of it.
    String halfBad = "[{\"traceId\":\"" + TRACE_ID + "\",\"id\":\"1234\",\"name\":\"good\"},"
        + "{\"traceId\":\"" + TRACE_ID + "\",\"id\":\"xyz\"}]";
    HttpResponse<String> partly = post(halfBad.getBytes(StandardCharsets.UTF_8), "application/json", null);
    assertThat(partly.statusCode()).isEqualTo(400);
    assertThat(partly.body()).contains("$[1].id");
    assertThat(post("<spans/>".getBytes(StandardCharsets.UTF_8), "application/xml", null).statusCode())
        .isEqualTo(415);
    assertThat(post("[]".getBytes(StandardCharsets.UTF_8), "application/json", "br").statusCode()).isEqualTo(415);
    HttpResponse<String> badGzip = post("not gzip".getBytes(StandardCharsets.UTF_8), "application/json", "gzip");
    assertThat(badGzip.statusCode()).isEqualTo(400);
    assertThat(badGzip.body()).startsWith("failed to decompress the request body (gzip)");
    HttpResponse<String> bad3 = post(new byte[] {0x0a, 0x7f, 0x01}, "application/x-protobuf", null);
    assertThat(bad3.statusCode()).isEqualTo(400);
    assertThat(bad3.body()).startsWith("Malformed reading List<Span> from proto3");
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/api/v2/spans")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);

    // Too large as sent, and too large once inflated (a small gzip bomb).
    byte[] big = ("[" + "{\"traceId\":\"1\",\"id\":\"2\"},".repeat(MAX_BODY / 20) + "{\"traceId\":\"1\",\"id\":\"2\"}]")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(big.length).isGreaterThan(MAX_BODY);
    assertThat(post(big, "application/json", null).statusCode()).isEqualTo(413);
    byte[] bomb = gzip(big);
    assertThat(bomb.length).isLessThan(MAX_BODY);
    HttpResponse<String> inflated = post(bomb, "application/json", "gzip");
    assertThat(inflated.statusCode()).isEqualTo(413);
    assertThat(inflated.body()).contains("max_request_body_size");

    // The trace is as it was, and the server still takes spans.
    assertThat(tempoTrace(TRACE_ID)).isEqualTo(stored);
    String after = "[{\"traceId\":\"aaaaaaaaaaaaaaaa\",\"id\":\"bbbbbbbbbbbbbbbb\",\"name\":\"after\",\"timestamp\":"
        + nowMicros + "}]";
    assertThat(post(after.getBytes(StandardCharsets.UTF_8), null, null).statusCode()).isEqualTo(202);
    assertThat(tempoTrace("0000000000000000aaaaaaaaaaaaaaaa").getResourceSpans(0).getScopeSpans(0).getSpans(0)
        .getName()).isEqualTo("after");
  }

  private HttpResponse<String> post(byte[] body, String contentType, String encoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v2/spans"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + path);
  }

  /** Grafana's call: {@code /api/v2/traces/<id>} with {@code Accept: application/protobuf}. */
  private TracesData tempoTrace(String id) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri("/api/v2/traces/" + id))
        .header("Accept", "application/protobuf").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    // tempopb.TraceByIDResponse: field 1 is the trace (OTLP's TracesData on the wire).
    CodedInputStream in = CodedInputStream.newInstance(r.body());
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag >>> 3 == 1) {
        return TracesData.parseFrom(in.readBytes());
      }
      in.skipField(tag);
    }
    throw new AssertionError("no trace in the answer");
  }

  private JsonNode jaeger(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue())
          : kv.getValue().getStringValue());
    }
    return out;
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}

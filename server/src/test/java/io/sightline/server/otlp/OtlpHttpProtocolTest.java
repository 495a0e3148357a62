package io.sightline.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.collector.pipeline.Signal;
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
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/HTTP at the byte level: JSON with hex ids, gzip, and every malformed request getting the status and message
 * the Collector gives, with the server still serving afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpHttpProtocolTest {
  private static final int MAX_BODY = 64 * 1024;
  private static final String CONFIG = """
      receivers:
        otlp:
          protocols:
            http:
              max_request_body_size: %d
      exporters:
        recording: {}
      service:
        pipelines:
          traces: {receivers: [otlp], exporters: [recording]}
          logs: {receivers: [otlp], exporters: [recording]}
      """.formatted(MAX_BODY);
  private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN_ID = "eee19b7ec3c1b174";
  private static final String PARENT_ID = "eee19b7ec3c1b173";

  @TempDir
  static Path dataDir;
  private final RecordingExporterFactory recording = new RecordingExporterFactory();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Sightline server;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start(CONFIG, dataDir, recording);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void clear() {
    recording.clear();
  }

  /** Whatever a test did to the server, a well-formed request is still accepted. */
  @AfterEach
  void stillServing() throws Exception {
    recording.clear();
    HttpResponse<byte[]> ok = post("/v1/traces", "application/x-protobuf", null, request(3).toByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    recording.awaitItems(Signal.TRACES, 3, Duration.ofSeconds(5));
  }

  @Test
  void jsonWithHexIdsIsDecodedAndAnsweredInJson() throws Exception {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[{
            "traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"GET /cart","kind":2,
            "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000000250000000,
            "attributes":[{"key":"http.status_code","value":{"intValue":"200"}},
                          {"key":"ok","value":{"boolValue":true}}],
            "status":{"code":1},
            "unknownFutureField":{"x":1}}]}]}]}
        """.formatted(TRACE_ID, SPAN_ID, PARENT_ID);
    HttpResponse<byte[]> response = post("/v1/traces", "application/json", null, json.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    recording.awaitItems(Signal.TRACES, 1, Duration.ofSeconds(5));
    Span span = recording.spans().get(0);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo(TRACE_ID);
    assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray())).isEqualTo(SPAN_ID);
    assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo(PARENT_ID);
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1_700_000_000_250_000_000L);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(200);
    assertThat(recording.traces().get(0).resourceSpans().get(0).getResource().getAttributes(0).getValue().getStringValue())
        .isEqualTo("cart");
  }

  @Test
  void gzipProtobufIsAccepted() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", "gzip", gzip(request(50).toByteArray()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/x-protobuf");
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
    recording.awaitItems(Signal.TRACES, 50, Duration.ofSeconds(5));
  }

  @Test
  void truncatedProtobufIs400WithAStatusBody() throws Exception {
    byte[] whole = request(10).toByteArray();
    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", null,
        Arrays.copyOf(whole, whole.length - 7));
    assertThat(response.statusCode()).isEqualTo(400);
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(response.body());
    assertThat(status.getCode()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage()).contains("failed to unmarshal request body").contains("truncated");
    assertThat(recording.batches()).isEmpty();
  }

  @Test
  void invalidJsonIs400WithAJsonStatus() throws Exception {
    HttpResponse<byte[]> response = post("/v1/logs", "application/json", null,
        "{\"resourceLogs\": [ {\"scopeLogs\": ".getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(400);
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(body).startsWith("{\"code\":3,\"message\":\"failed to unmarshal request body: invalid JSON");
  }

  @Test
  void badHexIdIs400NamingTheField() throws Exception {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\",\"spanId\":\"" + SPAN_ID
        + "\",\"name\":\"a\"}]}]}]}";
    HttpResponse<byte[]> response = post("/v1/traces", "application/json", null, json.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("invalid traceId \\\"xyz\\\"");
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", "text/plain", null, "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("415 unsupported media type, supported: [application/json, application/x-protobuf]");
  }

  @Test
  void getIs405() throws Exception {
    HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri("/v1/traces")).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("405 method not allowed, supported: [POST]");
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    byte[] big = request(1).toBuilder().setResourceSpans(0, request(1).getResourceSpans(0).toBuilder()
        .setScopeSpans(0, request(1).getResourceSpans(0).getScopeSpans(0).toBuilder()
            .setSpans(0, span(0).toBuilder().setName("x".repeat(MAX_BODY))))).build().toByteArray();
    // Over HTTP/1.1, as OTLP/HTTP senders (the SDKs' okhttp and Go clients) send to http://: the server refuses a
    // declared length over the limit without reading the body, which on an HTTP/2 stream (this client upgrades its
    // connection to h2c after a body-less request of another test) ends in a reset the JDK client may report first.
    HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<byte[]> response = http1.send(HttpRequest.newBuilder(uri("/v1/traces"))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(big))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("max_request_body_size (" + MAX_BODY);
  }

  @Test
  void gzipBombIs413() throws Exception {
    byte[] bomb = gzip(new byte[MAX_BODY * 50]);
    assertThat(bomb.length).isLessThan(MAX_BODY);
    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", "gzip", bomb);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(response.body()).getMessage())
        .contains("decompressed body exceeds max_request_body_size");
  }

  @Test
  void corruptGzipIs400() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", "gzip", new byte[] {1, 2, 3, 4});
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(com.google.rpc.Status.parseFrom(response.body()).getMessage()).contains("failed to decompress");
  }

  @Test
  void unknownEncodingIs400() throws Exception {
    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", "br", request(1).toByteArray());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(com.google.rpc.Status.parseFrom(response.body()).getMessage()).contains("unsupported Content-Encoding \"br\"");
  }

  @Test
  void signalWithoutAPipelineIs404() throws Exception {
    HttpResponse<byte[]> response = post("/v1/metrics", "application/x-protobuf", null, new byte[0]);
    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void receiverCountsWhatItAccepted() throws Exception {
    post("/v1/traces", "application/x-protobuf", null, request(7).toByteArray());
    HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).containsPattern(
        "otelcol_receiver_accepted_spans_total\\{receiver=\"otlp\",transport=\"http\"} [1-9][0-9]*");
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.receiverPorts("otlp").get("http") + path);
  }

  private HttpResponse<byte[]> post(String path, String contentType, String encoding, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(10));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static ExportTraceServiceRequest request(int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(span(i));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build();
  }

  static Span span(int i) {
    byte[] trace = HexFormat.of().parseHex(TRACE_ID);
    byte[] id = new byte[8];
    id[7] = (byte) (i + 1);
    id[6] = (byte) ((i + 1) >> 8);
    return Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(id)).setName("op " + i)
        .addAttributes(KeyValue.newBuilder().setKey("i").setValue(AnyValue.newBuilder().setIntValue(i))).build();
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}

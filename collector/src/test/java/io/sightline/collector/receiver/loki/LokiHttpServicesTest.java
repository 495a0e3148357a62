package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import static io.sightline.collector.receiver.loki.PushMessages.entry;
import static io.sightline.collector.receiver.loki.PushMessages.request;
import static io.sightline.collector.receiver.loki.PushMessages.snappy;
import static io.sightline.collector.receiver.loki.PushMessages.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sightline.core.model.Labels;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both endpoints on a real port, answered as Loki answers them. */
class LokiHttpServicesTest {
  private static final long NOW_NS = Clock.systemUTC().millis() * 1_000_000L;
  // HTTP/1.1: an h2c upgrade could reset a stream answered before its body was read.
  private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final RecordingLogSink sink = new RecordingLogSink();
  private static Server server;

  @BeforeEach
  void clear() {
    sink.committed.clear();
    sink.commitFailure = null;
  }

  /** One server for the class: stopping one waits for the client's idle connections. */
  @BeforeAll
  static void start() {
    LokiDistributor distributor = new LokiDistributor(LokiLimits.DEFAULT, sink);
    server = Server.builder().http(0).maxRequestLength(1 << 20).gracefulShutdownTimeoutMillis(0, 0)
        .service("/loki/api/v1/push", new LokiPushService(distributor))
        .service("/otlp/v1/logs", new OtlpLogsService(distributor))
        .errorHandler(new ServerErrorHandler() { // as the server is to wire them
          @Override
          public com.linecorp.armeria.common.HttpResponse onServiceException(ServiceRequestContext ctx,
              Throwable cause) {
            return null;
          }

          @Override
          public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config,
              RequestHeaders headers, HttpStatus status, String description, Throwable cause) {
            if (status.code() != 413) {
              return null;
            }
            return headers.path().startsWith("/otlp/") ? OtlpLogsService.tooLargeAnswer(headers, 1 << 20)
                : LokiPushService.tooLargeAnswer(headers, 1 << 20);
          }
        }).build();
    server.start().join();
  }

  @AfterAll
  static void stop() {
    server.stop().join();
  }

  private HttpResponse<byte[]> post(String path, String type, String encoding, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.activeLocalPort() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A body of {@code size} zero bytes, sent without a declared length. */
  private HttpResponse<byte[]> postChunked(String path, String type, int size) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.activeLocalPort() + path))
        .header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[size])))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void pushJsonAndProtobuf() throws Exception {
    String json = "{\"streams\":[{\"stream\":{\"app\":\"shop\"},\"values\":[[\"" + NOW_NS + "\",\"json line\","
        + "{\"trace_id\":\"abc\"}]]}]}";
    HttpResponse<byte[]> r = post("/loki/api/v1/push", "application/json", null, json.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    byte[] proto = snappy(request(stream("{app=\"shop\"}", entry(NOW_NS / 1_000_000_000L, 0, "proto line"))));
    assertThat(post("/loki/api/v1/push", "application/x-protobuf", null, proto).statusCode()).isEqualTo(204);
    assertThat(sink.entries()).extracting(LogEntry::line).containsExactly("json line", "proto line");
    assertThat(sink.entries().get(0).structuredMetadata().get("trace_id")).isEqualTo("abc");
  }

  @Test
  void pushErrorsArePlainText() throws Exception {
    HttpResponse<byte[]> bad = post("/loki/api/v1/push", "application/x-protobuf", null, new byte[] {1, 2, 3});
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(text(bad)).isEqualTo("snappy: corrupt input\n");
    String tooLong = "{\"streams\":[{\"stream\":{\"app\":\"a\"},\"values\":[[\"" + NOW_NS + "\",\""
        + "x".repeat(300_000) + "\"]]}]}";
    HttpResponse<byte[]> line = post("/loki/api/v1/push", "application/json", null,
        tooLong.getBytes(StandardCharsets.UTF_8));
    assertThat(line.statusCode()).isEqualTo(400);
    assertThat(text(line)).startsWith("max entry size '262144' bytes exceeded for stream");
    // Past the limit, declared or counted as it comes: the server refuses, in Loki's words.
    HttpResponse<byte[]> declared = post("/loki/api/v1/push", "application/json", null, new byte[(1 << 20) + 3]);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(text(declared)).isEqualTo("request body too large: message size too large than max (1048579 vs"
        + " 1048576)\n");
    HttpResponse<byte[]> chunked = postChunked("/loki/api/v1/push", "application/json", (1 << 20) + 1);
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(text(chunked)).isEqualTo("request body too large: message size too large than max (1048577 vs"
        + " 1048576)\n");
    HttpResponse<byte[]> otlp = postChunked("/otlp/v1/logs", "application/x-protobuf", (1 << 20) + 1);
    assertThat(otlp.statusCode()).isEqualTo(413);
    assertThat(status(otlp)).isEqualTo("request body too large: message size too large than max (1048577 vs"
        + " 1048576)");
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static ExportLogsServiceRequest otlpRequest() {
    LogRecord record = LogRecord.newBuilder().setTimeUnixNano(NOW_NS).setSeverityText("Error")
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
        .setBody(AnyValue.newBuilder().setStringValue("payment failed"))
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex("4bf92f3577b34da6a3ce929d0e0e4736")))
        .addAttributes(kv("http.method", "POST")).build();
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "payments"))
            .addAttributes(kv("host.name", "h1")))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
  }

  @Test
  void otlpProtobufJsonGzipAndZstd() throws Exception {
    byte[] proto = otlpRequest().toByteArray();
    assertThat(post("/otlp/v1/logs", "application/x-protobuf", null, proto).statusCode()).isEqualTo(204);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(proto);
    }
    assertThat(post("/otlp/v1/logs", "application/x-protobuf", "gzip", gz.toByteArray()).statusCode())
        .isEqualTo(204);
    assertThat(post("/otlp/v1/logs", "application/x-protobuf", "zstd", Zstd.compress(proto)).statusCode())
        .isEqualTo(204);
    String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},
          "scopeLogs":[{"logRecords":[{"timeUnixNano":"%d","body":{"stringValue":"from json"},
            "traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}]}]}]}
        """.formatted(NOW_NS);
    assertThat(post("/otlp/v1/logs", "application/json", null, json.getBytes(StandardCharsets.UTF_8)).statusCode())
        .isEqualTo(204);

    assertThat(sink.committed).hasSize(4);
    RecordingLogSink.Stored first = sink.committed.get(0);
    assertThat(first.stream()).isEqualTo(Labels.of("service_name", "payments"));
    assertThat(first.entries().get(0).structuredMetadata()).isEqualTo(Labels.of("http_method", "POST",
        "severity_number", "17", "severity_text", "Error", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
        "host_name", "h1", "detected_level", "error"));
    LogEntry fromJson = sink.committed.get(3).entries().get(0);
    assertThat(fromJson.line()).isEqualTo("from json");
    assertThat(fromJson.structuredMetadata().get("trace_id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(fromJson.structuredMetadata().get("span_id")).isEqualTo("00f067aa0ba902b7");
    assertThat(fromJson.structuredMetadata().get("detected_level")).isEqualTo("unknown");
  }

  private static String status(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    com.google.rpc.Status s = com.google.rpc.Status.parseFrom(r.body());
    assertThat(s.getCode()).isZero();
    return s.getMessage();
  }

  @Test
  void otlpErrorsAreStatusMessages() throws Exception {
    HttpResponse<byte[]> type = post("/otlp/v1/logs", "text/plain", null, new byte[0]);
    assertThat(type.statusCode()).isEqualTo(400);
    assertThat(status(type)).isEqualTo("content type: text/plain is not supported");
    HttpResponse<byte[]> encoding = post("/otlp/v1/logs", "application/x-protobuf", "br", new byte[0]);
    assertThat(encoding.statusCode()).isEqualTo(400);
    assertThat(status(encoding)).isEqualTo("unsupported content encoding br: only gzip and zstd are supported");
    HttpResponse<byte[]> malformed = post("/otlp/v1/logs", "application/x-protobuf", null, new byte[] {0x0a, 0x05});
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(status(malformed)).isNotBlank();
    HttpResponse<byte[]> badGzip = post("/otlp/v1/logs", "application/x-protobuf", "gzip", new byte[] {1, 2});
    assertThat(badGzip.statusCode()).isEqualTo(400);
    assertThat(status(badGzip)).isEqualTo("gzip: invalid header");
    // an empty export has no streams: Loki's 422
    HttpResponse<byte[]> empty = post("/otlp/v1/logs", "application/x-protobuf", null, new byte[0]);
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(status(empty)).isEqualTo("error at least one valid stream is required for ingestion");
  }

  @Test
  void otlpStoreFailuresAre503SoThatExportersRetry() throws Exception {
    sink.commitFailure = new java.io.IOException("disk full");
    HttpResponse<byte[]> r = post("/otlp/v1/logs", "application/x-protobuf", null, otlpRequest().toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(status(r)).isEqualTo("failed to store the push: disk full");
    HttpResponse<byte[]> push = post("/loki/api/v1/push", "application/json", null, ("{\"streams\":[{\"stream\":"
        + "{\"a\":\"1\"},\"values\":[[\"" + NOW_NS + "\",\"x\"]]}]}").getBytes(StandardCharsets.UTF_8));
    assertThat(push.statusCode()).isEqualTo(500);
  }

  @Test
  void onlyPost() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.activeLocalPort() + "/loki/api/v1/push")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
  }
}

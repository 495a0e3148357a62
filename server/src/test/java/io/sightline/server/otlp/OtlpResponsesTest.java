package io.sightline.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client is told when an exporter rejects part of a batch or asks for a retry, on both transports; CORS for
 * browser senders; named pipelines fanning out; the health endpoints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpResponsesTest {
  private static final String CONFIG = """
      receivers:
        otlp:
          protocols:
            grpc:
            http:
              cors:
                allowed_origins: ["https://*.shop.example"]
                max_age: 600
      exporters:
        recording: {}
        recording/copy: {}
      service:
        pipelines:
          traces: {receivers: [otlp], exporters: [recording]}
          traces/2: {receivers: [otlp], exporters: [recording/copy]}
          logs: {receivers: [otlp], exporters: [recording]}
      """;

  @TempDir
  static Path dataDir;
  private final RecordingExporterFactory recording = new RecordingExporterFactory();
  private final HttpClient client = HttpClient.newHttpClient();
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
  void reset() {
    recording.clear();
    recording.onBatch(b -> CompletableFuture.completedFuture(ConsumeResult.ACCEPTED));
  }

  private HttpResponse<byte[]> postTraces(int spans) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.receiverPorts("otlp").get("http")
            + "/v1/traces")).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpHttpProtocolTest.request(spans).toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private TraceServiceGrpc.TraceServiceBlockingStub grpc() {
    return GrpcClients.newClient("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc"),
        TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  @Test
  void namedPipelinesBothReceiveEverySpan() throws Exception {
    assertThat(postTraces(4).statusCode()).isEqualTo(200);
    // one recording factory serves both ids: each of the two pipelines delivered the 4 spans
    recording.awaitItems(Signal.TRACES, 8, Duration.ofSeconds(5));
    assertThat(recording.traces()).hasSize(2);
  }

  @Test
  void partialSuccessIsReportedOverHttpAndGrpc() throws Exception {
    recording.onBatch(b -> CompletableFuture.completedFuture(ConsumeResult.partial(2, "2 spans too far in the past")));
    HttpResponse<byte[]> http = postTraces(5);
    assertThat(http.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(http.body());
    assertThat(body.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(body.getPartialSuccess().getErrorMessage()).contains("2 spans too far in the past");

    ExportTraceServiceResponse viaGrpc = grpc().export(OtlpHttpProtocolTest.request(5));
    assertThat(viaGrpc.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
  }

  @Test
  void overloadIs429WithRetryAfterAndResourceExhaustedWithRetryInfo() throws Exception {
    recording.onBatch(b -> CompletableFuture.failedFuture(
        new RetryableException("data refused due to high memory usage", Duration.ofSeconds(3), true)));
    HttpResponse<byte[]> http = postTraces(1);
    assertThat(http.statusCode()).isEqualTo(429);
    assertThat(http.headers().firstValue("retry-after")).hasValue("3");
    assertThat(com.google.rpc.Status.parseFrom(http.body()).getMessage()).isEqualTo("data refused due to high memory usage");

    assertThatThrownBy(() -> grpc().export(OtlpHttpProtocolTest.request(1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          com.google.rpc.Status details = StatusProto.fromThrowable(e);
          assertThat(details).isNotNull();
          assertThat(details.getDetailsList()).anySatisfy(any -> {
            assertThat(any.is(RetryInfo.class)).isTrue();
            try {
              assertThat(any.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(3);
            } catch (Exception ex) {
              throw new AssertionError(ex);
            }
          });
        });
  }

  @Test
  void unavailableStoreIs503AndUnavailable() throws Exception {
    recording.onBatch(b -> CompletableFuture.failedFuture(new IllegalStateException("disk full")));
    HttpResponse<byte[]> http = postTraces(1);
    assertThat(http.statusCode()).isEqualTo(503);
    assertThat(http.headers().firstValue("retry-after")).isPresent();
    assertThatThrownBy(() -> grpc().export(OtlpHttpProtocolTest.request(1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void corsPreflightAllowsConfiguredOriginsOnly() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.receiverPorts("otlp").get("http") + "/v1/traces");
    HttpResponse<String> allowed = client.send(HttpRequest.newBuilder(uri)
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://web.shop.example")
        .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("https://web.shop.example");
    assertThat(allowed.headers().firstValue("access-control-max-age")).hasValue("600");

    HttpResponse<String> denied = client.send(HttpRequest.newBuilder(uri)
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(denied.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void healthAndReadiness() throws Exception {
    for (String path : new String[] {"/-/healthy", "/-/ready"}) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
          + path)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }
}

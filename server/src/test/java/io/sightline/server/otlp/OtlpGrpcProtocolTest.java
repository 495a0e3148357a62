package io.sightline.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.sightline.collector.pipeline.Signal;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/gRPC edge cases with a plain gRPC client and raw HTTP/2 frames. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpGrpcProtocolTest {
  private static final String CONFIG = """
      receivers:
        otlp:
          protocols:
            grpc:
              max_recv_msg_size_mib: 1
      exporters:
        recording: {}
      service:
        pipelines:
          traces: {receivers: [otlp], exporters: [recording]}
      """;

  @TempDir
  static Path dataDir;
  private final RecordingExporterFactory recording = new RecordingExporterFactory();
  private Sightline server;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start(CONFIG, dataDir, recording);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private String uri() {
    return "http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc");
  }

  @Test
  void gzipCompressedRequestsAreAccepted() throws Exception {
    var stub = GrpcClients.builder(uri()).compressor(new io.grpc.Codec.Gzip())
        .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
    assertThat(stub.export(OtlpHttpProtocolTest.request(25)).hasPartialSuccess()).isFalse();
    recording.awaitItems(Signal.TRACES, 25, Duration.ofSeconds(5));
  }

  @Test
  void aMessageOverTheLimitIsResourceExhausted() {
    var stub = GrpcClients.newClient(uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    ExportTraceServiceRequest big = OtlpHttpProtocolTest.request(1).toBuilder().setResourceSpans(0,
        OtlpHttpProtocolTest.request(1).getResourceSpans(0).toBuilder().setScopeSpans(0,
            OtlpHttpProtocolTest.request(1).getResourceSpans(0).getScopeSpans(0).toBuilder().setSpans(0,
                OtlpHttpProtocolTest.span(0).toBuilder().setName("x".repeat(2 * 1024 * 1024))))).build();
    assertThatThrownBy(() -> stub.export(big)).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void aSignalWithoutAPipelineIsUnimplemented() {
    var stub = GrpcClients.newClient(uri(), LogsServiceGrpc.LogsServiceBlockingStub.class);
    assertThatThrownBy(() -> stub.export(ExportLogsServiceRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void malformedProtobufIsAnErrorAndTheServerKeepsServing() throws Exception {
    byte[] junk = {0x0a, 0x7f, 0x01, 0x02};
    ByteBuffer frame = ByteBuffer.allocate(5 + junk.length);
    frame.put((byte) 0).putInt(junk.length).put(junk);
    AggregatedHttpResponse response = WebClient.of(uri()).execute(RequestHeaders.builder(HttpMethod.POST,
            "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
        .contentType(MediaType.parse("application/grpc")).add("te", "trailers").build(), HttpData.wrap(frame.array()))
        .aggregate().join();
    String status = response.trailers().contains("grpc-status") ? response.trailers().get("grpc-status")
        : response.headers().get("grpc-status");
    assertThat(status).isNotNull().isNotEqualTo("0");

    var stub = GrpcClients.newClient(uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    stub.export(OtlpHttpProtocolTest.request(2));
  }
}

package io.sightline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.sightline.bench.otlp.OtlpLoad;
import io.sightline.bench.remotewrite.RemoteWriteLoad;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import picocli.CommandLine;

/**
 * The generators against a toy receiver that counts what it parses: what a generator reports as accepted must be
 * what arrived, so that benchmark figures count real items.
 */
class GeneratorsTest {

  private static long countSpans(ExportTraceServiceRequest r) {
    return r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
        .mapToLong(ss -> ss.getSpansCount()).sum();
  }

  @Test
  void otlpLoadCountsWhatTheReceiverParsed() throws Exception {
    AtomicLong grpcSpans = new AtomicLong();
    AtomicLong httpSpans = new AtomicLong();
    Server server = Server.builder().http(0)
        .service(GrpcService.builder().addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
            grpcSpans.addAndGet(countSpans(request));
            observer.onNext(ExportTraceServiceResponse.getDefaultInstance());
            observer.onCompleted();
          }
        }).build())
        .service("/v1/traces", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(body -> {
          try {
            httpSpans.addAndGet(countSpans(ExportTraceServiceRequest.parseFrom(body.content().array())));
            return HttpResponse.of(HttpStatus.OK);
          } catch (Exception e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST);
          }
        })))
        .build();
    server.start().join();
    try {
      String endpoint = "http://127.0.0.1:" + server.activeLocalPort();
      for (String protocol : new String[] {"grpc", "http"}) {
        OtlpLoad load = new OtlpLoad();
        new CommandLine(load).parseArgs("--protocol", protocol, "--endpoint", endpoint, "--duration", "1",
            "--warmup", "0", "--concurrency", "4", "--distinct-requests", "4", "--quiet");
        OtlpLoad.Result result = load.run();
        AtomicLong counted = protocol.equals("grpc") ? grpcSpans : httpSpans;
        assertThat(result.items()).isPositive().isEqualTo(counted.get());
        assertThat(result.failures()).isEmpty();
      }
    } finally {
      server.stop().join();
    }
  }

  @Test
  void remoteWriteLoadSendsEverySampleOnce() throws Exception {
    AtomicLong samples = new AtomicLong();
    Server server = Server.builder().http(0).service("/api/v1/write", (ctx, req) ->
        HttpResponse.of(req.aggregate().thenApply(body -> {
          try {
            byte[] raw = Snappy.uncompress(body.content().array());
            // Count samples: field 2 of each TimeSeries is one Sample; the generator sends one per series.
            com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(raw);
            while (!in.isAtEnd()) {
              in.readTag();
              in.skipRawBytes(in.readRawVarint32());
              samples.incrementAndGet();
            }
            return HttpResponse.of(HttpStatus.NO_CONTENT);
          } catch (Exception e) {
            return HttpResponse.of(HttpStatus.BAD_REQUEST);
          }
        }))).build();
    server.start().join();
    try {
      RemoteWriteLoad load = new RemoteWriteLoad();
      new CommandLine(load).parseArgs("--url", "http://127.0.0.1:" + server.activeLocalPort() + "/api/v1/write",
          "--series", "3000", "--samples", "5", "--series-per-request", "500", "--concurrency", "3");
      RemoteWriteLoad.Result result = load.run();
      assertThat(result.samples()).isEqualTo(15_000).isEqualTo(samples.get());
      assertThat(result.failures()).isEmpty();
    } finally {
      server.stop().join();
    }
  }
}

package io.sightline.collector.receiver.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.sightline.collector.obsreport.ObsReport.ReceiverCounters;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The three OTLP gRPC services; each answers only once the pipeline has made the batch durable. */
final class OtlpGrpcServices {
  private OtlpGrpcServices() {}

  /**
   * The trace service with its request taken as bytes: the request is then read as the HTTP receiver reads it
   * ({@link OtlpCodec#parseProto}: scanned, and parsed into messages only when the scan leaves it to protobuf), so that
   * gRPC traces reach the store unparsed too. A request that does not parse is INVALID_ARGUMENT with protobuf's
   * message, as the OTLP specification asks of a malformed request.
   */
  static ServerServiceDefinition traces(Consumer<Traces> next, ReceiverCounters counters) {
    MethodDescriptor<byte[], ExportTraceServiceResponse> export = TraceServiceGrpc.getExportMethod()
        .toBuilder(RAW, ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance())).build();
    return ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(export, ServerCalls.asyncUnaryCall((byte[] body, StreamObserver<ExportTraceServiceResponse> out) -> {
          Traces batch;
          try {
            batch = OtlpCodec.TRACES.parseProto(body);
          } catch (InvalidProtocolBufferException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("failed to unmarshal request: " + e.getMessage())
                .asRuntimeException());
            return;
          }
          OtlpGrpcServices.export(OtlpCodec.TRACES, batch, next, counters, out);
        })).build();
  }

  /** A request message kept as its bytes. */
  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("could not read the request: " + e.getMessage()).withCause(e)
            .asRuntimeException();
      }
    }
  };

  static BindableService metrics(Consumer<Metrics> next, ReceiverCounters counters) {
    return new MetricsServiceGrpc.MetricsServiceImplBase() {
      @Override
      public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> observer) {
        OtlpGrpcServices.export(OtlpCodec.METRICS, Metrics.of(request), next, counters, observer);
      }
    };
  }

  static BindableService logs(Consumer<Logs> next, ReceiverCounters counters) {
    return new LogsServiceGrpc.LogsServiceImplBase() {
      @Override
      public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> observer) {
        OtlpGrpcServices.export(OtlpCodec.LOGS, Logs.of(request), next, counters, observer);
      }
    };
  }

  private static <T extends Telemetry, R extends Message> void export(OtlpCodec<T> codec, T batch, Consumer<T> next,
      ReceiverCounters counters, StreamObserver<R> observer) {
    int items = batch.itemCount();
    io.sightline.collector.pipeline.Consumers.safely(next, batch).whenComplete((result, failure) -> {
      if (failure == null) {
        counters.accepted().inc(items - Math.min(items, result.rejected()));
        counters.refused().inc(Math.min(items, result.rejected()));
        @SuppressWarnings("unchecked")
        R response = (R) codec.response(result);
        observer.onNext(response);
        observer.onCompleted();
      } else {
        counters.refused().inc(items);
        observer.onError(ExportOutcome.of(failure).grpcException());
      }
    });
  }
}

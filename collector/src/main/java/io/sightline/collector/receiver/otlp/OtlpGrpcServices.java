package io.sightline.collector.receiver.otlp;

import com.google.protobuf.Message;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.sightline.collector.obsreport.ObsReport.ReceiverCounters;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;

/** The three OTLP gRPC services; each answers only once the pipeline has made the batch durable. */
final class OtlpGrpcServices {
  private OtlpGrpcServices() {}

  static BindableService traces(Consumer<Traces> next, ReceiverCounters counters) {
    return new TraceServiceGrpc.TraceServiceImplBase() {
      @Override
      public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
        OtlpGrpcServices.export(OtlpCodec.TRACES, Traces.of(request), next, counters, observer);
      }
    };
  }

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

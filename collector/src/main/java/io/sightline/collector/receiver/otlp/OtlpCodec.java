package io.sightline.collector.receiver.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;

/**
 * What differs between the three OTLP services: the request and response messages. Everything else in the receiver
 * is written once for all signals.
 */
abstract sealed class OtlpCodec<T extends Telemetry> {
  static final OtlpCodec<Traces> TRACES = new TracesCodec();
  static final OtlpCodec<Metrics> METRICS = new MetricsCodec();
  static final OtlpCodec<Logs> LOGS = new LogsCodec();

  /**
   * Nesting allowed in a request. OTLP's own nesting is shallow; deep recursion only comes from attribute values
   * (kvlists inside kvlists), and protobuf's default of 100 is a stack-safe bound for those.
   */
  private static final int RECURSION_LIMIT = 100;

  abstract Signal signal();

  abstract Parser<? extends Message> parser();

  /** Reads a binary request; the whole body must be one valid message. */
  final T parseProto(byte[] body) throws InvalidProtocolBufferException {
    T scanned = scan(body);
    if (scanned != null) {
      return scanned;
    }
    CodedInputStream in = CodedInputStream.newInstance(body);
    in.setRecursionLimit(RECURSION_LIMIT);
    return wrap(parser().parseFrom(in), body);
  }

  /**
   * The request read from its protobuf encoding without building its messages, for a signal whose store reads
   * encodings; null to parse it (always, for the others, and for a request the scan leaves to protobuf).
   */
  T scan(byte[] body) {
    return null;
  }

  /** A request read from its protobuf {@code wire} form; traces keep their encodings, the others need not. */
  T wrap(Message request, byte[] wire) {
    return wrap(request);
  }

  /** An empty builder of the request message, for the JSON reader to fill. */
  abstract Message.Builder newRequestBuilder();

  abstract T wrap(Message request);

  /** The response, with {@code partial_success} set when some items were rejected. */
  abstract Message response(ConsumeResult result);

  private static final class TracesCodec extends OtlpCodec<Traces> {
    @Override
    Signal signal() {
      return Signal.TRACES;
    }

    @Override
    Parser<? extends Message> parser() {
      return ExportTraceServiceRequest.parser();
    }

    @Override
    Message.Builder newRequestBuilder() {
      return ExportTraceServiceRequest.newBuilder();
    }

    @Override
    Traces wrap(Message request) {
      return Traces.of((ExportTraceServiceRequest) request);
    }

    @Override
    Traces scan(byte[] body) {
      return Traces.ofWire(body);
    }

    @Override
    Traces wrap(Message request, byte[] wire) {
      return Traces.of((ExportTraceServiceRequest) request, wire);
    }

    @Override
    Message response(ConsumeResult result) {
      ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
      if (result.isPartial()) {
        b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(result.rejected())
            .setErrorMessage(result.message()));
      }
      return b.build();
    }
  }

  private static final class MetricsCodec extends OtlpCodec<Metrics> {
    @Override
    Signal signal() {
      return Signal.METRICS;
    }

    @Override
    Parser<? extends Message> parser() {
      return ExportMetricsServiceRequest.parser();
    }

    @Override
    Message.Builder newRequestBuilder() {
      return ExportMetricsServiceRequest.newBuilder();
    }

    @Override
    Metrics wrap(Message request) {
      return Metrics.of((ExportMetricsServiceRequest) request);
    }

    @Override
    Message response(ConsumeResult result) {
      ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
      if (result.isPartial()) {
        b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(result.rejected())
            .setErrorMessage(result.message()));
      }
      return b.build();
    }
  }

  private static final class LogsCodec extends OtlpCodec<Logs> {
    @Override
    Signal signal() {
      return Signal.LOGS;
    }

    @Override
    Parser<? extends Message> parser() {
      return ExportLogsServiceRequest.parser();
    }

    @Override
    Message.Builder newRequestBuilder() {
      return ExportLogsServiceRequest.newBuilder();
    }

    @Override
    Logs wrap(Message request) {
      return Logs.of((ExportLogsServiceRequest) request);
    }

    @Override
    Message response(ConsumeResult result) {
      ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
      if (result.isPartial()) {
        b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(result.rejected())
            .setErrorMessage(result.message()));
      }
      return b.build();
    }
  }
}

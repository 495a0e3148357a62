package io.sightline.collector.receiver.otlp;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.sightline.collector.pipeline.Consumers;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a pipeline failure is told to an OTLP client, following the Collector's mapping: a refusal for overload is
 * HTTP 429 / gRPC RESOURCE_EXHAUSTED, any other temporary failure HTTP 503 / gRPC UNAVAILABLE, both with a retry
 * delay; bad data is 400 / INVALID_ARGUMENT and must not be retried.
 */
record ExportOutcome(int httpStatus, Code grpcCode, String message, Duration retryAfter) {
  private static final Logger log = LoggerFactory.getLogger(ExportOutcome.class);
  /** For failures that carry no delay of their own: long enough for a restarting store, short for a client. */
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  static ExportOutcome of(Throwable failure) {
    Throwable t = Consumers.unwrap(failure);
    if (t instanceof RetryableException r) {
      Duration after = r.retryAfter() == null ? DEFAULT_RETRY_AFTER : r.retryAfter();
      return r.overload() ? new ExportOutcome(429, Code.RESOURCE_EXHAUSTED, r.getMessage(), after)
          : new ExportOutcome(503, Code.UNAVAILABLE, r.getMessage(), after);
    }
    if (t instanceof PermanentException p) {
      return new ExportOutcome(400, Code.INVALID_ARGUMENT, p.getMessage(), null);
    }
    // An unexpected error downstream is treated as temporary, as the Collector treats non-permanent errors: the
    // client keeps the data and retries rather than losing it.
    log.atWarn().setCause(t).log("pipeline failed to take an OTLP request");
    return new ExportOutcome(503, Code.UNAVAILABLE, String.valueOf(t.getMessage()), DEFAULT_RETRY_AFTER);
  }

  /** Whole seconds for HTTP's {@code Retry-After}, at least one. */
  long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  com.google.rpc.Status status() {
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(grpcCode.getNumber())
        .setMessage(message);
    return status.build();
  }

  /** The gRPC error, with {@code RetryInfo} attached when the client may retry: OTLP clients need it to retry. */
  StatusRuntimeException grpcException() {
    com.google.rpc.Status.Builder status = status().toBuilder();
    if (retryAfter != null) {
      status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
          .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano())).build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}

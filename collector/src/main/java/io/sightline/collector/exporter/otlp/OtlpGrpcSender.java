package io.sightline.collector.exporter.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClientBuilder;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.sightline.collector.exporter.client.ClientSettings;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.queue.Sender;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OTLP/gRPC {@code Export} call per attempt, over plain HTTP/2 (h2c). The request goes out as bytes made by
 * {@link OtlpBodies}, so spans keep the encoding they came in. A failed call is judged as the Collector's otlp
 * exporter judges it: CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS are worth
 * another try, RESOURCE_EXHAUSTED only when the server attached {@code RetryInfo} (whose delay is then the least
 * wait); every other code is permanent.
 */
final class OtlpGrpcSender<T extends Telemetry> implements Sender<T>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OtlpGrpcSender.class);

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
        throw new UncheckedIOException(e);
      }
    }
  };

  private final String exporter;
  private final Signal signal;
  private final ClientSettings settings;
  private final ClientFactory factory;
  private final Channel channel;
  private final MethodDescriptor<byte[], byte[]> method;

  /** {@code target} is {@code host:port}. */
  OtlpGrpcSender(String exporter, String target, ClientSettings settings, Signal signal) {
    this.exporter = exporter;
    this.signal = signal;
    this.settings = settings;
    this.factory = ClientFactory.builder().build();
    GrpcClientBuilder b = GrpcClients.builder("http://" + target).factory(factory)
        // The deadline below bounds a call; Armeria's own response timeout would only cut it at its default.
        .responseTimeout(Duration.ZERO).maxResponseLength(64L * 1024 * 1024);
    for (Map.Entry<String, String> h : settings.headers().entrySet()) {
      b.addHeader(h.getKey(), h.getValue());
    }
    this.channel = b.build(io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.TraceServiceStub.class)
        .getChannel();
    this.method = MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(switch (signal) {
          case TRACES -> "opentelemetry.proto.collector.trace.v1.TraceService/Export";
          case METRICS -> "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
          case LOGS -> "opentelemetry.proto.collector.logs.v1.LogsService/Export";
        }).setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
  }

  @Override
  public CompletableFuture<Void> send(T batch) {
    byte[] body = OtlpBodies.encode(batch);
    CallOptions options = CallOptions.DEFAULT;
    if (settings.timeout().isPositive()) {
      options = options.withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }
    if (settings.gzip()) {
      options = options.withCompression("gzip");
    }
    ClientCall<byte[], byte[]> call = channel.newCall(method, options);
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(call, body, new StreamObserver<>() {
      @Override
      public void onNext(byte[] response) {
        partialSuccess(response);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(failure(t));
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    return done;
  }

  /** A failed call as the retry sender needs it: permanent, or retryable with the server's delay. */
  static RuntimeException failure(Throwable t) {
    Status status = Status.fromThrowable(t);
    String message = "rpc error: code = " + codeName(status.getCode()) + " desc = "
        + (status.getDescription() != null ? status.getDescription()
            : status.getCause() != null ? status.getCause().toString() : "");
    Duration throttle = retryDelay(t);
    return switch (status.getCode()) {
      case CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS ->
          new RetryableException(message, throttle, false);
      case RESOURCE_EXHAUSTED -> throttle != null ? new RetryableException(message, throttle, true)
          : new PermanentException(message);
      default -> new PermanentException(message);
    };
  }

  /** The delay of a {@code RetryInfo} in the status details, or null. */
  private static Duration retryDelay(Throwable t) {
    com.google.rpc.Status details = StatusProto.fromThrowable(t);
    if (details == null) {
      return null;
    }
    for (com.google.protobuf.Any any : details.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = any.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** grpc-go's name of a code, as the Collector's messages show it: {@code InvalidArgument}. */
  static String codeName(Status.Code code) {
    if (code == Status.Code.OK) {
      return "OK";
    }
    StringBuilder b = new StringBuilder();
    for (String part : code.name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }

  /** Logs a partial success: the server kept the rest, and the rejected items must not be sent again. */
  private void partialSuccess(byte[] response) {
    long rejected;
    String message;
    try {
      switch (signal) {
        case TRACES -> {
          var p = ExportTraceServiceResponse.parseFrom(response).getPartialSuccess();
          rejected = p.getRejectedSpans();
          message = p.getErrorMessage();
        }
        case METRICS -> {
          var p = ExportMetricsServiceResponse.parseFrom(response).getPartialSuccess();
          rejected = p.getRejectedDataPoints();
          message = p.getErrorMessage();
        }
        default -> {
          var p = ExportLogsServiceResponse.parseFrom(response).getPartialSuccess();
          rejected = p.getRejectedLogRecords();
          message = p.getErrorMessage();
        }
      }
    } catch (InvalidProtocolBufferException e) {
      return; // the batch was taken; an unreadable answer changes nothing
    }
    if (rejected > 0 || !message.isEmpty()) {
      log.atWarn().addKeyValue("exporter", exporter).addKeyValue("message", message)
          .addKeyValue("dropped_" + signal.itemName(), rejected).log("Partial success response");
    }
  }

  @Override
  public void close() {
    factory.close();
  }
}

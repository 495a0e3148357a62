package io.sightline.collector.exporter.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.queue.QueueCodec;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch as the protobuf {@code Export*ServiceRequest} an OTLP exporter sends. Spans are not encoded again: each
 * resource that kept the encoding it arrived in is written as those bytes, so a span leaves as it came.
 */
public final class OtlpBodies {
  /** Field 1 of every export request ({@code resource_spans}, {@code resource_metrics}, {@code resource_logs}). */
  private static final int RESOURCES_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private OtlpBodies() {}

  public static byte[] encode(Telemetry batch) {
    return switch (batch) {
      case Traces t -> traces(t);
      case Metrics m -> m.toRequest().toByteArray();
      case Logs l -> l.toRequest().toByteArray();
    };
  }

  /** The persistent queue's codec for {@code signal}: the request as it is sent, parsed back. */
  @SuppressWarnings("unchecked")
  public static <T extends Telemetry> QueueCodec<T> codec(Signal signal) {
    return new QueueCodec<>() {
      @Override
      public byte[] encode(T batch) {
        return OtlpBodies.encode(batch);
      }

      @Override
      public T decode(byte[] bytes) throws IOException {
        return (T) switch (signal) {
          case TRACES -> {
            Traces t = Traces.ofWire(bytes);
            yield t != null ? t : Traces.of(ExportTraceServiceRequest.parseFrom(bytes), bytes);
          }
          case METRICS -> Metrics.of(ExportMetricsServiceRequest.parseFrom(bytes));
          case LOGS -> Logs.of(ExportLogsServiceRequest.parseFrom(bytes));
        };
      }
    };
  }

  static byte[] traces(Traces t) {
    List<byte[]> parts = t.wireResources();
    if (parts == null) {
      parts = new ArrayList<>();
      for (ResourceSpans rs : t.resourceSpans()) {
        byte[] kept = t.encoding(rs);
        parts.add(kept != null ? kept : rs.toByteArray());
      }
    }
    int size = 0;
    for (byte[] p : parts) {
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(p.length) + p.length;
    }
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (byte[] p : parts) {
        o.writeUInt32NoTag(RESOURCES_TAG);
        o.writeUInt32NoTag(p.length);
        o.writeRawBytes(p);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: the array was sized for the request", e);
    }
    return out;
  }
}

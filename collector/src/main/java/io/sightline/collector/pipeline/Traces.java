package io.sightline.collector.pipeline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans grouped by resource and instrumentation scope, as OTLP carries them.
 *
 * <p>A batch read from OTLP protobuf also keeps each resource's encoding as it came over the wire, so that a store can
 * write it without encoding the spans again. The encodings are keyed by the message instance: protobuf messages are
 * immutable, so a processor that changes a resource makes a new instance, which has none, and the store encodes it.
 */
public final class Traces implements Telemetry {
  private final ExportTraceServiceRequest request;
  private final int spanCount;
  /** Field 1 (resource_spans), length-delimited. */
  private static final int RESOURCE_SPANS_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  /** Resource spans (by identity) to their wire encoding; empty when the batch did not come as protobuf. */
  private final Map<ResourceSpans, byte[]> encodings;

  private Traces(ExportTraceServiceRequest request, Map<ResourceSpans, byte[]> encodings) {
    this.request = request;
    this.encodings = encodings;
    int count = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    this.spanCount = count;
  }

  public static Traces of(ExportTraceServiceRequest request) {
    return new Traces(request, Map.of());
  }

  /** A request parsed from {@code wire}, keeping each resource's encoding (field 1 of the request, in order). */
  public static Traces of(ExportTraceServiceRequest request, byte[] wire) {
    IdentityHashMap<ResourceSpans, byte[]> encodings = new IdentityHashMap<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(wire);
      int i = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == RESOURCE_SPANS_TAG && i < request.getResourceSpansCount()) {
          encodings.put(request.getResourceSpans(i++), in.readByteArray());
        } else {
          in.skipField(tag);
        }
      }
      if (i != request.getResourceSpansCount()) {
        encodings.clear();
      }
    } catch (IOException e) {
      encodings.clear(); // the parser took it, so this cannot happen; the store then encodes the spans itself
    }
    return new Traces(request, encodings);
  }

  public static Traces of(List<ResourceSpans> resourceSpans) {
    return new Traces(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resourceSpans).build(), Map.of());
  }

  /** The batches one after the other, keeping the wire encodings they have. */
  public static Traces concat(List<Traces> batches) {
    IdentityHashMap<ResourceSpans, byte[]> encodings = new IdentityHashMap<>();
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (Traces t : batches) {
      b.addAllResourceSpans(t.resourceSpans());
      encodings.putAll(t.encodings);
    }
    return new Traces(b.build(), encodings);
  }

  /** The protobuf encoding {@code rs} arrived in, or null when it did not come as protobuf or was changed since. */
  public byte[] encoding(ResourceSpans rs) {
    return encodings.get(rs);
  }

  public List<ResourceSpans> resourceSpans() {
    return request.getResourceSpansList();
  }

  public ExportTraceServiceRequest toRequest() {
    return request;
  }

  @Override
  public Signal signal() {
    return Signal.TRACES;
  }

  @Override
  public int itemCount() {
    return spanCount;
  }

  @Override
  public int serializedSize() {
    return request.getSerializedSize();
  }
}

package io.sightline.collector.pipeline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans grouped by resource and instrumentation scope, as OTLP carries them.
 *
 * <p>A batch read from OTLP protobuf also keeps each resource's encoding as it came over the wire, so that a store can
 * write it without encoding the spans again. The encodings are keyed by the message instance: protobuf messages are
 * immutable, so a processor that changes a resource makes a new instance, which has none, and the store encodes it.
 *
 * <p>A batch made by {@link #ofWire} holds only those encodings at first: its messages are parsed on the first call
 * that needs them ({@link #resourceSpans}, {@link #encoding}, {@link #toRequest}). A pipeline that only stores spans,
 * reading {@link #wireResources}, never builds them.
 */
public final class Traces implements Telemetry {
  /** Field 1 (resource_spans), length-delimited. */
  private static final int RESOURCE_SPANS_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private final int spanCount;
  /** Each resource's encoding, in order, when every resource of the batch has one; else null. */
  private final List<byte[]> wire;
  /** The messages: given, or parsed from {@link #wire} on first use (then guarded by this object's monitor). */
  private ExportTraceServiceRequest request;
  /** Resource spans (by identity) to their wire encoding; empty when the batch did not come as protobuf. */
  private Map<ResourceSpans, byte[]> encodings;

  private Traces(ExportTraceServiceRequest request, Map<ResourceSpans, byte[]> encodings) {
    this.request = request;
    this.encodings = encodings;
    int count = 0;
    List<byte[]> inOrder = encodings.isEmpty() ? null : new ArrayList<>(request.getResourceSpansCount());
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
      if (inOrder != null) {
        byte[] e = encodings.get(rs);
        if (e == null) {
          inOrder = null;
        } else {
          inOrder.add(e);
        }
      }
    }
    this.spanCount = count;
    this.wire = inOrder;
  }

  private Traces(List<byte[]> wire, int spanCount) {
    this.wire = wire;
    this.spanCount = spanCount;
  }

  public static Traces of(ExportTraceServiceRequest request) {
    return new Traces(request, Map.of());
  }

  /**
   * A request read from its protobuf encoding without parsing it, when the encoding holds nothing but the OTLP trace
   * schema (see {@link TraceRequestScan}); null otherwise, and then the caller parses it.
   */
  public static Traces ofWire(byte[] request) {
    TraceRequestScan.Result scan = TraceRequestScan.scan(request);
    return scan == null ? null : new Traces(scan.resources(), scan.spanCount());
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

  /** The batches one after the other, keeping the wire encodings they have (and their messages unbuilt). */
  public static Traces concat(List<Traces> batches) {
    if (batches.stream().allMatch(t -> t.wire != null)) {
      List<byte[]> wire = new ArrayList<>();
      int spans = 0;
      for (Traces t : batches) {
        wire.addAll(t.wire);
        spans += t.spanCount;
      }
      return new Traces(wire, spans);
    }
    IdentityHashMap<ResourceSpans, byte[]> encodings = new IdentityHashMap<>();
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (Traces t : batches) {
      b.addAllResourceSpans(t.resourceSpans());
      encodings.putAll(t.encodings());
    }
    return new Traces(b.build(), encodings);
  }

  /**
   * Each resource's protobuf encoding, in order, when every resource of the batch came as protobuf and none was
   * changed since; null otherwise (then read {@link #resourceSpans}). Do not change the arrays.
   */
  public List<byte[]> wireResources() {
    return wire;
  }

  /** The protobuf encoding {@code rs} arrived in, or null when it did not come as protobuf or was changed since. */
  public byte[] encoding(ResourceSpans rs) {
    return encodings().get(rs);
  }

  public List<ResourceSpans> resourceSpans() {
    return toRequest().getResourceSpansList();
  }

  public synchronized ExportTraceServiceRequest toRequest() {
    if (request == null) {
      parse();
    }
    return request;
  }

  private synchronized Map<ResourceSpans, byte[]> encodings() {
    if (request == null) {
      parse();
    }
    return encodings;
  }

  /** Builds the messages of a batch made by {@link #ofWire}, each resource's encoding kept for it. */
  private void parse() {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    IdentityHashMap<ResourceSpans, byte[]> byMessage = new IdentityHashMap<>();
    for (byte[] e : wire) {
      try {
        ResourceSpans rs = ResourceSpans.parseFrom(e);
        b.addResourceSpans(rs);
        byMessage.put(rs, e);
      } catch (InvalidProtocolBufferException ex) {
        throw new IllegalStateException("a resource the request scan accepted does not parse", ex);
      }
    }
    ExportTraceServiceRequest built = b.build();
    // addResourceSpans keeps the instances it is given, so the identity map holds for the built request's list.
    encodings = byMessage;
    request = built;
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
  public synchronized int serializedSize() {
    if (request != null) {
      return request.getSerializedSize();
    }
    int size = 0;
    for (byte[] e : wire) {
      size += 1 + CodedOutputStream.computeUInt32SizeNoTag(e.length) + e.length;
    }
    return size;
  }
}

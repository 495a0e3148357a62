package io.sightline.collector.generator;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.sightline.collector.generator.spans.WireResource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Builds OTLP spans for the generator's tests. */
public final class Spans {
  private Spans() {}

  public static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  public static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  public static KeyValue attr(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (value) {
      case String s -> v.setStringValue(s);
      case Long l -> v.setIntValue(l);
      case Integer i -> v.setIntValue(i);
      case Double d -> v.setDoubleValue(d);
      case Boolean b -> v.setBoolValue(b);
      default -> throw new IllegalArgumentException(value.toString());
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  /** A span of {@code TRACE} from {@code startMs} lasting {@code durationMs}. */
  public static Span.Builder span(String name, Span.SpanKind kind, String spanId, String parentId, long startMs,
      long durationMs) {
    Span.Builder b = Span.newBuilder().setTraceId(id(TRACE)).setSpanId(id(spanId)).setName(name).setKind(kind)
        .setStartTimeUnixNano(startMs * 1_000_000).setEndTimeUnixNano((startMs + durationMs) * 1_000_000);
    if (parentId != null) {
      b.setParentSpanId(id(parentId));
    }
    return b;
  }

  public static Span.Builder error(Span.Builder span, String message) {
    return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
  }

  public static ResourceSpans resource(String service, Span.Builder... spans) {
    return resource(Resource.newBuilder().addAttributes(attr("service.name", service)).build(), spans);
  }

  public static ResourceSpans resource(Resource resource, Span.Builder... spans) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) {
      ss.addSpans(s);
    }
    return ResourceSpans.newBuilder().setResource(resource).addScopeSpans(ss).build();
  }

  /** The resources as the processors read them: from their encodings. */
  public static List<WireResource> wire(ResourceSpans... resources) {
    return Arrays.stream(resources).map(rs -> WireResource.read(rs.toByteArray())).toList();
  }
}

package io.sightline.tracestore.db;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** OTLP fixtures for the trace store's tests. */
final class Spans {
  /** A fixed instant (2026-01-01) so that tests do not depend on the clock, except retention's. */
  static final long T0 = 1_767_225_600_000_000_000L;

  private final Random random;

  Spans(long seed) {
    random = new Random(seed);
  }

  byte[] traceId() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return b;
  }

  ByteString spanId() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static KeyValue str(String key, String value) {
    return kv(key, AnyValue.newBuilder().setStringValue(value).build());
  }

  static KeyValue num(String key, long value) {
    return kv(key, AnyValue.newBuilder().setIntValue(value).build());
  }

  /** One attribute of every AnyValue type, nested ones included, plus a key without a value. */
  static List<KeyValue> everyType(String prefix) {
    List<KeyValue> out = new ArrayList<>();
    out.add(str(prefix + "string", "value ü"));
    out.add(str(prefix + "empty_string", ""));
    out.add(kv(prefix + "bool_true", AnyValue.newBuilder().setBoolValue(true).build()));
    out.add(kv(prefix + "bool_false", AnyValue.newBuilder().setBoolValue(false).build()));
    out.add(num(prefix + "int", -42));
    out.add(num(prefix + "int_big", Long.MAX_VALUE));
    out.add(kv(prefix + "double", AnyValue.newBuilder().setDoubleValue(-0.0).build()));
    out.add(kv(prefix + "nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()));
    out.add(kv(prefix + "bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, -1})).build()));
    out.add(kv(prefix + "array", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setIntValue(1))
        .addValues(AnyValue.getDefaultInstance())).build()));
    out.add(kv(prefix + "kvlist", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(str("inner", "x")).addValues(KeyValue.newBuilder().setKey("no_value"))).build()));
    out.add(kv(prefix + "empty_value", AnyValue.getDefaultInstance()));
    out.add(KeyValue.newBuilder().setKey(prefix + "unset").build());
    return out;
  }

  static ResourceSpans.Builder resource(String service) {
    return ResourceSpans.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
        .setResource(Resource.newBuilder().addAttributes(str("service.name", service))
            .addAttributes(str("deployment.environment", "test")).setDroppedAttributesCount(1)
            .addEntityRefs(EntityRef.newBuilder().setType("service").addIdKeys("service.name")
                .setSchemaUrl("https://example.com/entity")));
  }

  static ScopeSpans.Builder scope(String name) {
    return ScopeSpans.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.25.0")
        .setScope(InstrumentationScope.newBuilder().setName(name).setVersion("1.2.3")
            .addAttributes(str("scope.attr", "s")).setDroppedAttributesCount(2));
  }

  /** A simple span: name, times, kind, one attribute. */
  Span span(byte[] traceId, ByteString parent, String name, long start, long durationNanos) {
    Span.Builder s = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(spanId()).setName(name)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + durationNanos)
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).addAttributes(num("n", random.nextInt(10)));
    if (parent != null) {
      s.setParentSpanId(parent);
    }
    return s.build();
  }

  /**
   * A trace of three spans using every field OTLP has: the root a server span with attributes of every type, events,
   * links, status, trace state, flags and dropped counts; a child; and a span whose parent is outside the trace.
   */
  TracesData richTrace(byte[] traceId, long start) {
    ByteString root = spanId();
    Span a = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(root).setTraceState("vendor=1,x=y")
        .setFlags(0x301).setName("GET /orders").setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 5_000_000).addAllAttributes(everyType("span."))
        .setDroppedAttributesCount(3)
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(start + 1000).setName("exception")
            .addAllAttributes(everyType("event.")).setDroppedAttributesCount(4))
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(start - 10).setName(""))
        .setDroppedEventsCount(5)
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(traceId())).setSpanId(spanId())
            .setTraceState("l=1").setFlags(0x100).addAllAttributes(everyType("link.")).setDroppedAttributesCount(6))
        .addLinks(Span.Link.newBuilder())
        .setDroppedLinksCount(7)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .build();
    Span b = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(spanId()).setParentSpanId(root)
        .setName("SELECT").setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(start + 100)
        .setEndTimeUnixNano(start + 90).setStatus(Status.getDefaultInstance()).build();
    Span c = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(spanId()).setParentSpanId(spanId())
        .setName("remote child").setKindValue(17).setStartTimeUnixNano(start + 200).setEndTimeUnixNano(start + 300)
        .setStatus(Status.newBuilder().setCodeValue(9)).build();
    ResourceSpans rs = resource("orders").addScopeSpans(scope("io.opentelemetry.http").addSpans(a).addSpans(b))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(c)).build();
    ResourceSpans bare = ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().setScope(
        InstrumentationScope.getDefaultInstance()).addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
            .setStartTimeUnixNano(start + 400).setEndTimeUnixNano(start + 400))).build();
    return TracesData.newBuilder().addResourceSpans(rs).addResourceSpans(bare).build();
  }
}

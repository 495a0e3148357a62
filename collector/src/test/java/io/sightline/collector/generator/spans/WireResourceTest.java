package io.sightline.collector.generator.spans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireResourceTest {
  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static KeyValue kv(String key, String value) {
    return kv(key, AnyValue.newBuilder().setStringValue(value).build());
  }

  private static Span span(String name, List<KeyValue> attributes) {
    return Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFromUtf8("12345678")).setParentSpanId(ByteString.copyFromUtf8("abcdefgh"))
        .setName(name).setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(1_000).setEndTimeUnixNano(3_500)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .addAllAttributes(attributes).build();
  }

  /** The spans split over two scopes, to read across scope boundaries. */
  private static WireResource read(List<KeyValue> resource, Span... spans) {
    int half = spans.length / 2 + 1;
    ResourceSpans rs = ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAllAttributes(resource))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(Arrays.asList(spans).subList(0, half)))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(Arrays.asList(spans).subList(half, spans.length)))
        .build();
    return WireResource.read(rs.toByteArray());
  }

  @Test
  void spansOfEveryScopeWithTheFieldsTheGeneratorReads() {
    Span a = span("GET /a", List.of(kv("http.method", "GET")));
    Span b = span("GET /b", List.of());
    Span c = span("GET /c", List.of(kv("x", "1"), kv("y", "2")));
    WireResource r = read(List.of(kv("service.name", "shop")), a, b, c);

    assertThat(r.spanCount()).isEqualTo(3);
    assertThat(r.resource().find(WireAttributes.key("service.name"))).isEqualTo("shop");
    WireSpan s = r.span(0);
    assertThat(s.name()).isEqualTo("GET /a");
    assertThat(s.kind()).isEqualTo(WireSpan.KIND_CLIENT);
    assertThat(s.statusCode()).isEqualTo(WireSpan.STATUS_ERROR);
    assertThat(s.statusMessage()).isEqualTo("boom");
    assertThat(s.startNanos()).isEqualTo(1_000);
    assertThat(s.endNanos()).isEqualTo(3_500);
    assertThat(s.traceId()).isEqualTo(a.getTraceId());
    assertThat(s.spanId()).isEqualTo(a.getSpanId());
    assertThat(s.parentSpanId()).isEqualTo(a.getParentSpanId());
    assertThat(s.encodedSize()).isEqualTo(a.getSerializedSize());
    assertThat(s.attributes().find(WireAttributes.key("http.method"))).isEqualTo("GET");
    assertThat(r.span(1).name()).isEqualTo("GET /b");
    assertThat(r.span(1).attributes().size()).isZero();
    assertThat(s.at(2).name()).isEqualTo("GET /c");
    assertThat(s.attributes().name(1)).isEqualTo("y");
    assertThat(s.attributes().value(1)).isEqualTo("2");
    assertThatThrownBy(() -> r.span(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void valuesAreStringifiedAsTempoDoes() {
    AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setIntValue(2))).build();
    AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", "v"))
        .addValues(kv("n", AnyValue.newBuilder().setBoolValue(true).build()))).build();
    WireResource r = read(List.of(
        kv("s", "text"), kv("b", AnyValue.newBuilder().setBoolValue(false).build()),
        kv("i", AnyValue.newBuilder().setIntValue(-42).build()),
        kv("d", AnyValue.newBuilder().setDoubleValue(0.25).build()),
        kv("big", AnyValue.newBuilder().setDoubleValue(1e21).build()), kv("arr", array), kv("map", map),
        kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("zz")).build()),
        KeyValue.newBuilder().setKey("none").build()), span("x", List.of()));
    WireAttributes res = r.resource();
    assertThat(res.find(WireAttributes.key("s"))).isEqualTo("text");
    assertThat(res.find(WireAttributes.key("b"))).isEqualTo("false");
    assertThat(res.find(WireAttributes.key("i"))).isEqualTo("-42");
    assertThat(res.find(WireAttributes.key("d"))).isEqualTo("0.25");
    assertThat(res.find(WireAttributes.key("big"))).isEqualTo("1000000000000000000000");
    assertThat(res.find(WireAttributes.key("arr"))).isEqualTo("[a2]");
    assertThat(res.find(WireAttributes.key("map"))).isEqualTo("{k:vn:true}");
    assertThat(res.find(WireAttributes.key("bytes"))).isEmpty();
    assertThat(res.find(WireAttributes.key("none"))).isEmpty();
    assertThat(res.find(WireAttributes.key("absent"))).isNull();
    assertThat(res.positiveDouble(WireAttributes.key("d"))).isEqualTo(0.25);
    assertThat(res.positiveDouble(WireAttributes.key("i"))).isZero(); // an int is not a sampling ratio
  }

  @Test
  void firstIsTheEarliestKeyInEitherListWithTheFirstListWinningATie() {
    WireResource r = read(List.of(kv("service.name", "shop"), kv("db.system", "postgresql")),
        span("q", List.of(kv("db.name", "orders"), kv("db.system", "mysql"), kv("db.name", "later"))));
    WireAttributes resource = r.resource();
    WireAttributes span = r.span(0).attributes();
    byte[][] keys = WireAttributes.keys(List.of("peer.service", "db.name", "db.system"));

    assertThat(WireAttributes.first(keys, resource, span)).isEqualTo("orders");
    assertThat(WireAttributes.first(keys, span, resource)).isEqualTo("orders");
    byte[][] system = WireAttributes.keys(List.of("db.system"));
    assertThat(WireAttributes.first(system, resource, span)).isEqualTo("postgresql");
    assertThat(WireAttributes.first(system, span, resource)).isEqualTo("mysql");
    assertThat(WireAttributes.first(WireAttributes.keys(List.of("peer.service")), resource, span)).isNull();
    assertThat(WireAttributes.first(new byte[0][], resource, span)).isNull();
    assertThat(WireAttributes.first(keys, span, WireAttributes.NONE)).isEqualTo("orders");
  }

  @Test
  void firstAgreesWithTryingEachKeyInTurn() {
    WireResource r = read(List.of(kv("x", "1"), kv("y", "2"), kv("z", "3")),
        span("s", List.of(kv("z", "4"), kv("w", "5"), kv("x", "6"))));
    WireAttributes a = r.resource();
    WireAttributes b = r.span(0).attributes();
    for (List<String> names : List.of(List.of("w", "x"), List.of("z", "y"), List.of("q", "w"), List.of("q"),
        List.of("y", "x", "w"), List.of("w", "z"))) {
      byte[][] keys = WireAttributes.keys(names);
      String inTurn = null;
      String inTurnReversed = null;
      for (byte[] key : keys) {
        inTurn = inTurn != null ? inTurn : WireAttributes.find(key, a, b);
        inTurnReversed = inTurnReversed != null ? inTurnReversed : WireAttributes.find(key, b, a);
      }
      assertThat(WireAttributes.first(keys, a, b)).as("%s", names).isEqualTo(inTurn);
      assertThat(WireAttributes.first(keys, b, a)).as("%s reversed", names).isEqualTo(inTurnReversed);
    }
  }

  @Test
  void retainEndsDropsTheSpansOutsideAndKeepsTheOthersInOrder() {
    Span early = span("early", List.of()).toBuilder().setEndTimeUnixNano(10).build();
    Span late = span("late", List.of(kv("k", "v"))).toBuilder().setEndTimeUnixNano(5_000).build();
    WireResource r = read(List.of(), early, late, early, late);
    assertThat(r.retainEnds(end -> end > 100)).isEqualTo(2);
    assertThat(r.spanCount()).isEqualTo(2);
    assertThat(r.span(0).name()).isEqualTo("late");
    assertThat(r.span(1).attributes().find(WireAttributes.key("k"))).isEqualTo("v");
  }

  @Test
  void malformedBytesAreRefused() {
    byte[] good = ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span("x", List.of())))
        .build().toByteArray();
    assertThatThrownBy(() -> WireResource.read(Arrays.copyOf(good, good.length - 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

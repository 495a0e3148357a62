package io.sightline.api.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.StringWriter;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class JaegerTracesTest {
  private static final byte[] TRACE = HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c");
  private static final byte[] ROOT = HexFormat.of().parseHex("eee19b7ec3c1b174");
  private static final byte[] CHILD = HexFormat.of().parseHex("eee19b7ec3c1b173");

  @Test
  void translatesAsJaegerDoes() throws Exception {
    Span root = Span.newBuilder().setTraceId(ByteString.copyFrom(TRACE)).setSpanId(ByteString.copyFrom(ROOT))
        .setName("POST /orders").setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_123_456_789L).setEndTimeUnixNano(1_700_000_000_223_456_999L)
        .addAttributes(kv("http.route", str("/orders"))).addAttributes(kv("http.status_code", AnyValue.newBuilder()
            .setIntValue(500).build()))
        .addAttributes(kv("big", AnyValue.newBuilder().setIntValue(1L << 60).build()))
        .addAttributes(kv("telemetry.sdk.name", str("opentelemetry")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("declined"))
        .setTraceState("vendor=x")
        .addEvents(Span.Event.newBuilder().setName("retry").setTimeUnixNano(1_700_000_000_200_000_000L)
            .addAttributes(kv("attempt", AnyValue.newBuilder().setIntValue(2).build())))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(1_700_000_000_150_000_000L)
            .addAttributes(kv("exception.type", str("IOException"))))
        .build();
    Span child = Span.newBuilder().setTraceId(ByteString.copyFrom(TRACE)).setSpanId(ByteString.copyFrom(CHILD))
        .setParentSpanId(ByteString.copyFrom(ROOT)).setName("SELECT").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(1_700_000_000_130_000_000L).setEndTimeUnixNano(1_700_000_000_140_000_000L)
        .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.25).build()))
        .addAttributes(kv("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(str("a<b")).addValues(AnyValue.newBuilder().setIntValue(1))).build()))
        .addAttributes(kv("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(kv("z", str("1"))).addValues(kv("a", AnyValue.newBuilder().setBoolValue(true).build())))
            .build()))
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(
            "00000000000000000000000000000001"))).setSpanId(ByteString.copyFrom(ROOT)))
        .addLinks(Span.Link.newBuilder().setSpanId(ByteString.copyFrom(ROOT))) // no trace id: dropped
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
        .build();
    TracesData trace = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("order-service")))
            .addAttributes(kv("host.name", str("h1"))))
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("shop")
            .setVersion("1.0")).addSpans(root).addSpans(child))).build();

    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      JaegerTraces.write(g, trace);
    }
    assertThat(out.toString()).isEqualTo("{\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spans\":["
        + "{\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"eee19b7ec3c1b174\","
        + "\"operationName\":\"POST /orders\",\"references\":[],\"startTime\":1700000000123456,\"duration\":100000,"
        + "\"tags\":[{\"key\":\"otel.scope.name\",\"type\":\"string\",\"value\":\"shop\"},"
        + "{\"key\":\"otel.scope.version\",\"type\":\"string\",\"value\":\"1.0\"},"
        + "{\"key\":\"big\",\"type\":\"int64\",\"value\":\"1152921504606846976\"},"
        + "{\"key\":\"http.route\",\"type\":\"string\",\"value\":\"/orders\"},"
        + "{\"key\":\"http.status_code\",\"type\":\"int64\",\"value\":500},"
        + "{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"},"
        + "{\"key\":\"otel.status_code\",\"type\":\"string\",\"value\":\"ERROR\"},"
        + "{\"key\":\"error\",\"type\":\"bool\",\"value\":true},"
        + "{\"key\":\"otel.status_description\",\"type\":\"string\",\"value\":\"declined\"},"
        + "{\"key\":\"w3c.tracestate\",\"type\":\"string\",\"value\":\"vendor=x\"}],"
        + "\"logs\":[{\"timestamp\":1700000000150000,\"fields\":[{\"key\":\"event\",\"type\":\"string\","
        + "\"value\":\"exception\"},{\"key\":\"exception.type\",\"type\":\"string\",\"value\":\"IOException\"}]},"
        + "{\"timestamp\":1700000000200000,\"fields\":[{\"key\":\"event\",\"type\":\"string\",\"value\":\"retry\"},"
        + "{\"key\":\"attempt\",\"type\":\"int64\",\"value\":2}]}],\"processID\":\"p1\",\"warnings\":null},"
        + "{\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"eee19b7ec3c1b173\",\"operationName\":\"SELECT\","
        + "\"references\":[{\"refType\":\"CHILD_OF\",\"traceID\":\"5b8efff798038103d269b633813fc60c\","
        + "\"spanID\":\"eee19b7ec3c1b174\"},{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"0000000000000001\","
        + "\"spanID\":\"eee19b7ec3c1b174\"}],\"startTime\":1700000000130000,\"duration\":10000,"
        + "\"tags\":[{\"key\":\"otel.scope.name\",\"type\":\"string\",\"value\":\"shop\"},"
        + "{\"key\":\"otel.scope.version\",\"type\":\"string\",\"value\":\"1.0\"},"
        + "{\"key\":\"list\",\"type\":\"string\",\"value\":\"[\\\"a\\\\u003cb\\\",1]\"},"
        + "{\"key\":\"map\",\"type\":\"string\",\"value\":\"{\\\"a\\\":true,\\\"z\\\":\\\"1\\\"}\"},"
        + "{\"key\":\"ratio\",\"type\":\"float64\",\"value\":0.25},"
        + "{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"client\"},"
        + "{\"key\":\"otel.status_code\",\"type\":\"string\",\"value\":\"OK\"}],\"logs\":[],\"processID\":\"p1\","
        + "\"warnings\":[\"Invalid span link removed\"]}],"
        + "\"processes\":{\"p1\":{\"serviceName\":\"order-service\",\"tags\":[{\"key\":\"host.name\","
        + "\"type\":\"string\",\"value\":\"h1\"},{\"key\":\"telemetry.sdk.name\",\"type\":\"string\","
        + "\"value\":\"opentelemetry\"}]}},\"warnings\":null}");
  }

  @Test
  void traceIdsWithAZeroHighHalfAreSixteenDigits() {
    assertThat(JaegerTraces.traceId(HexFormat.of().parseHex("0000000000000000000000000000abcd")))
        .isEqualTo("000000000000abcd");
    assertThat(JaegerTraces.traceId(TRACE)).isEqualTo("5b8efff798038103d269b633813fc60c");
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }
}

package io.sightline.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRequestScanTest {
  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  /** Every field of the trace schema set, values of every kind, nested. */
  static ExportTraceServiceRequest rich() {
    AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("a"))
            .addValues(AnyValue.newBuilder().setIntValue(-3)).addValues(AnyValue.newBuilder().setDoubleValue(2.5))
            .addValues(AnyValue.newBuilder().setBoolValue(true))).build()))
        .addValues(kv("raw", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, -1, 7})).build()))
        .addValues(KeyValue.newBuilder().setKey("unset"))).build();
    Span span = Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFromUtf8("s1s1s1s1"))
        .setTraceState("k=v").setParentSpanId(ByteString.copyFromUtf8("p0p0p0p0")).setFlags(0x101).setName("GET /ünï")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(1).setEndTimeUnixNano(2)
        .addAttributes(kv("nested", nested)).setDroppedAttributesCount(3)
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(5).setName("exception").addAttributes(kv("e", str("x")))
            .setDroppedAttributesCount(1))
        .setDroppedEventsCount(4)
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFromUtf8("l1l1l1l1"))
            .setTraceState("a=b").addAttributes(kv("l", str("y"))).setDroppedAttributesCount(2).setFlags(1))
        .setDroppedLinksCount(6)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom")).build();
    ResourceSpans rs = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("shop"))).setDroppedAttributesCount(1)
            .addEntityRefs(EntityRef.newBuilder().setSchemaUrl("u").setType("service").addIdKeys("service.name")
                .addDescriptionKeys("d")))
        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.x")
                .setVersion("1.0").addAttributes(kv("s", str("z"))).setDroppedAttributesCount(2))
            .addSpans(span).addSpans(span.toBuilder().setName("second")).setSchemaUrl("https://scope"))
        .setSchemaUrl("https://resource").build();
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(rs)
        .addResourceSpans(rs.toBuilder().clearScopeSpans().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .addResourceSpans(ResourceSpans.getDefaultInstance()).build();
  }

  @Test
  void aRequestOfTheTraceSchemaIsCutIntoItsResourcesUnparsed() {
    ExportTraceServiceRequest request = rich();
    Traces t = Traces.ofWire(request.toByteArray());

    assertThat(t).isNotNull();
    assertThat(t.itemCount()).isEqualTo(3);
    assertThat(t.wireResources()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(t.wireResources().get(i)).isEqualTo(request.getResourceSpans(i).toByteArray());
    }
    assertThat(t.serializedSize()).isEqualTo(request.getSerializedSize());
    // The messages, when a processor asks, are the request's, each with its encoding.
    assertThat(t.toRequest()).isEqualTo(request);
    for (ResourceSpans rs : t.resourceSpans()) {
      assertThat(t.encoding(rs)).isEqualTo(rs.toByteArray());
    }
    assertThat(Traces.ofWire(new byte[0]).itemCount()).isZero();
  }

  @Test
  void concatenatedWireBatchesStayUnparsed() {
    ExportTraceServiceRequest request = rich();
    Traces a = Traces.ofWire(request.toByteArray());
    Traces b = Traces.ofWire(request.toByteArray());
    Traces both = Traces.concat(List.of(a, b));
    assertThat(both.itemCount()).isEqualTo(6);
    assertThat(both.wireResources()).hasSize(6);
    assertThat(both.resourceSpans()).hasSize(6);
    // With a batch that has messages only, the merge is of messages, with the encodings that exist kept.
    Traces mixed = Traces.concat(List.of(a, Traces.of(request)));
    assertThat(mixed.wireResources()).isNull();
    assertThat(mixed.encoding(mixed.resourceSpans().get(0))).isEqualTo(request.getResourceSpans(0).toByteArray());
    assertThat(mixed.encoding(mixed.resourceSpans().get(3))).isNull();
  }

  @Test
  void aParsedRequestKeepsItsEncodingsInOrderToo() {
    ExportTraceServiceRequest request = rich();
    Traces t = Traces.of(request, request.toByteArray());
    assertThat(t.wireResources()).hasSize(3);
    assertThat(Traces.of(request).wireResources()).isNull();
  }

  /** Writes {@code body} as field {@code number} of the given wire type around it. */
  private static byte[] field(int number, int wireType, byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeTag(number, wireType);
    if (wireType == 2) {
      c.writeUInt32NoTag(body.length);
    }
    c.writeRawBytes(body);
    c.flush();
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void whatTheScanDoesNotKnowIsLeftToProtobufWhichKeepsOrRefusesIt() throws IOException {
    byte[] span = Span.newBuilder().setName("x").build().toByteArray();
    byte[] unknownInSpan = concat(span, field(99, 2, new byte[] {1, 2}));
    byte[] request = field(1, 2, field(2, 2, field(2, 2, unknownInSpan)));
    assertThat(Traces.ofWire(request)).isNull();
    // protobuf reads it and keeps the unknown field: the receiver's ordinary path stores it as before
    assertThat(ExportTraceServiceRequest.parseFrom(request).getResourceSpans(0).getScopeSpans(0).getSpans(0)
        .getUnknownFields().hasField(99)).isTrue();

    byte[] wrongType = field(1, 2, field(2, 2, field(2, 2, new byte[] {(5 << 3), 1}))); // name as a varint
    assertThat(Traces.ofWire(wrongType)).isNull();

    byte[] badUtf8 = field(1, 2, field(2, 2, field(2, 2, field(5, 2, new byte[] {'a', (byte) 0xC3, 'b'}))));
    assertThat(Traces.ofWire(badUtf8)).isNull();
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(badUtf8))
        .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("UTF-8");

    byte[] good = rich().toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);
    assertThat(Traces.ofWire(truncated)).isNull();
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(truncated))
        .isInstanceOf(InvalidProtocolBufferException.class);

    byte[] notARequest = field(2, 2, new byte[0]);
    assertThat(Traces.ofWire(notARequest)).isNull();
  }

  @Test
  void attributeValuesNestedPastTheLimitAreLeftToProtobuf() {
    AnyValue deep = str("leaf");
    for (int i = 0; i < 60; i++) {
      deep = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(deep)).build();
    }
    ExportTraceServiceRequest tooDeep = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans
        .newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().addAttributes(kv("d", deep)))))
        .build();
    assertThat(Traces.ofWire(tooDeep.toByteArray())).isNull();

    AnyValue shallow = str("leaf");
    for (int i = 0; i < 10; i++) {
      shallow = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(shallow)).build();
    }
    ExportTraceServiceRequest fine = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans
        .newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().addAttributes(kv("d", shallow)))))
        .build();
    assertThat(Traces.ofWire(fine.toByteArray())).isNotNull();
  }
}

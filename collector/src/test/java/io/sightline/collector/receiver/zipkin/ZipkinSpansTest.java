package io.sightline.collector.receiver.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The translation, checked field by field against what the Collector's zipkinv2 translator produces. */
class ZipkinSpansTest {
  private static final HexFormat HEX = HexFormat.of();

  /** What Brave sends for one RPC: the client's span and the server's shared half, then a local span. */
  private static final String BRAVE = """
      [
        {"traceId": "463ac35c9f6413ad", "id": "a2fb4a1d1a96d312", "kind": "CLIENT", "name": "get /api",
         "timestamp": 1556604172355737, "duration": 1431,
         "localEndpoint": {"serviceName": "frontend", "ipv4": "192.168.99.1", "port": 8081},
         "remoteEndpoint": {"serviceName": "backend", "ipv4": "172.19.0.2", "port": 9000},
         "annotations": [{"timestamp": 1556604172355800, "value": "ws"}],
         "tags": {"http.method": "GET", "http.path": "/api", "host.name": "fe-1", "service.version": "2.1"}},
        {"traceId": "463ac35c9f6413ad", "id": "a2fb4a1d1a96d312", "kind": "SERVER", "name": "get /api",
         "timestamp": 1556604172355900, "duration": 1000, "shared": true, "debug": true,
         "localEndpoint": {"serviceName": "backend", "ipv6": "2001:0db8:0000:0000:0000:0000:0000:c001"},
         "remoteEndpoint": {"ipv4": "192.168.99.1", "port": 54321},
         "tags": {"http.status_code": "200", "error": "timeout", "host.name": "be-1"}},
        {"traceId": "463ac35c9f6413ad", "parentId": "a2fb4a1d1a96d312", "id": "b3fb4a1d1a96d312",
         "name": "compute", "timestamp": 1556604172356000, "duration": 200,
         "localEndpoint": {"serviceName": "backend"},
         "tags": {"span.kind": "internal", "host.name": "ignored-not-first"}}
      ]
      """;

  @Test
  void braveRpcBecomesOneResourcePerServiceAsTheCollectorGroupsIt() throws Exception {
    List<ResourceSpans> out = ZipkinSpans.fromJson(BRAVE.getBytes(StandardCharsets.UTF_8));
    // Sorted by service name: backend, then frontend.
    assertThat(out).hasSize(2);
    assertThat(attributes(out.get(0).getResource().getAttributesList()))
        .containsExactly(Map.entry("service.name", "backend"), Map.entry("host.name", "be-1"));
    assertThat(attributes(out.get(1).getResource().getAttributesList())).containsExactly(
        Map.entry("service.name", "frontend"), Map.entry("host.name", "fe-1"), Map.entry("service.version", "2.1"));

    List<Span> backend = out.get(0).getScopeSpans(0).getSpansList();
    assertThat(out.get(0).getScopeSpansCount()).isEqualTo(1);
    assertThat(out.get(0).getScopeSpans(0).getScope().getName()).isEmpty();
    assertThat(backend).hasSize(2);
    Span server = backend.get(0);
    // 64-bit trace ids are left-padded with zeros to 128 bits.
    assertThat(HEX.formatHex(server.getTraceId().toByteArray())).isEqualTo("0000000000000000463ac35c9f6413ad");
    assertThat(HEX.formatHex(server.getSpanId().toByteArray())).isEqualTo("a2fb4a1d1a96d312");
    assertThat(server.getParentSpanId()).isEmpty();
    assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getStartTimeUnixNano()).isEqualTo(1556604172355900_000L);
    assertThat(server.getEndTimeUnixNano()).isEqualTo(1556604172356900_000L);
    // "error" with a value other than "true" sets the status and stays an attribute.
    assertThat(server.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attributes(server.getAttributesList())).containsExactly(Map.entry("http.status_code", "200"),
        Map.entry("error", "timeout"), Map.entry("net.host.ip", "2001:db8::c001"),
        Map.entry("net.peer.ip", "192.168.99.1"), Map.entry("net.peer.port", "54321"));
    assertThat(server.getAttributes(4).getValue().getIntValue()).isEqualTo(54321);

    Span compute = backend.get(1);
    assertThat(compute.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
    assertThat(HEX.formatHex(compute.getParentSpanId().toByteArray())).isEqualTo("a2fb4a1d1a96d312");
    // span.kind was consumed; resource tags of a later span of the run are dropped, not made span attributes.
    assertThat(compute.getAttributesList()).isEmpty();
    assertThat(compute.getStatus()).isEqualTo(Status.getDefaultInstance());

    Span client = out.get(1).getScopeSpans(0).getSpans(0);
    assertThat(client.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(attributes(client.getAttributesList())).containsExactly(Map.entry("http.method", "GET"),
        Map.entry("http.path", "/api"), Map.entry("net.host.ip", "192.168.99.1"), Map.entry("net.host.port", "8081"),
        Map.entry("peer.service", "backend"), Map.entry("net.peer.ip", "172.19.0.2"),
        Map.entry("net.peer.port", "9000"));
    assertThat(client.getEventsList()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("ws");
      assertThat(e.getTimeUnixNano()).isEqualTo(1556604172355800_000L);
      assertThat(e.getAttributesList()).isEmpty();
    });
  }

  @Test
  void everyKindMapsAsTheCollectorMapsIt() throws Exception {
    Map<String, Span.SpanKind> expected = new LinkedHashMap<>();
    expected.put("\"CLIENT\"", Span.SpanKind.SPAN_KIND_CLIENT);
    expected.put("\"SERVER\"", Span.SpanKind.SPAN_KIND_SERVER);
    expected.put("\"PRODUCER\"", Span.SpanKind.SPAN_KIND_PRODUCER);
    expected.put("\"CONSUMER\"", Span.SpanKind.SPAN_KIND_CONSUMER);
    expected.put("\"client\"", Span.SpanKind.SPAN_KIND_UNSPECIFIED);
    expected.put("null", Span.SpanKind.SPAN_KIND_UNSPECIFIED);
    for (var e : expected.entrySet()) {
      Span s = one("{\"traceId\":\"1\",\"id\":\"2\",\"kind\":" + e.getKey() + ",\"timestamp\":1}");
      assertThat(s.getKind()).as(e.getKey()).isEqualTo(e.getValue());
    }
    // The span.kind tag is read only when the kind is not one of Zipkin's four, and kept as an attribute otherwise.
    Span tagged = one("{\"traceId\":\"1\",\"id\":\"2\",\"kind\":\"PRODUCER\",\"tags\":{\"span.kind\":\"internal\"}}");
    assertThat(tagged.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
    assertThat(attributes(tagged.getAttributesList())).containsEntry("span.kind", "internal");
    Span other = one("{\"traceId\":\"1\",\"id\":\"2\",\"tags\":{\"span.kind\":\"client\"}}");
    assertThat(other.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_UNSPECIFIED);
    assertThat(attributes(other.getAttributesList())).doesNotContainKey("span.kind");
  }

  @Test
  void statusComesFromOtelStatusCodeAndTheErrorTag() throws Exception {
    Span ok = one(withTags("\"otel.status_code\":\"Ok\",\"otel.status_description\":\"fine\""));
    assertThat(ok.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
    assertThat(ok.getStatus().getMessage()).isEqualTo("fine");
    assertThat(attributes(ok.getAttributesList())).doesNotContainKeys("otel.status_code", "otel.status_description");
    Span legacy = one(withTags("\"otel.status_code\":\"STATUS_CODE_ERROR\""));
    assertThat(legacy.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    Span unknown = one(withTags("\"otel.status_code\":\"PERHAPS\""));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(attributes(unknown.getAttributesList())).doesNotContainKey("otel.status_code");
    // A description without a code is only an attribute.
    Span described = one(withTags("\"otel.status_description\":\"why\""));
    assertThat(described.getStatus().getMessage()).isEmpty();
    assertThat(attributes(described.getAttributesList())).containsEntry("otel.status_description", "why");
    Span error = one(withTags("\"error\":\"true\""));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attributes(error.getAttributesList())).doesNotContainKey("error");
    // The error tag wins over an OK status, as in the Collector.
    Span both = one(withTags("\"otel.status_code\":\"Ok\",\"error\":\"true\""));
    assertThat(both.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
  }

  @Test
  void resourceScopeAndServiceNameSourceTags() throws Exception {
    List<ResourceSpans> out = ZipkinSpans.fromJson(("""
        [{"traceId":"1","id":"2","localEndpoint":{"serviceName":"shop"},
          "tags":{"otlp.service.name.source":"faas.name","otel.library.name":"io.brave","otel.library.version":"6.0",
                  "process.pid":"42","opencensus.exporterversion":"x","w3c.tracestate":"vendor=blue","k":"v"}},
         {"traceId":"1","id":"3","localEndpoint":{"serviceName":"shop"},"tags":{"otel.library.name":"io.other"}},
         {"traceId":"1","id":"4","tags":{"host.name":"h"}}]
        """).getBytes(StandardCharsets.UTF_8));
    assertThat(out).hasSize(2);
    // Without a service name: an empty resource, listed first (its placeholder name sorts before lower case).
    assertThat(out.get(0).getResource().getAttributesList()).isEmpty();
    assertThat(attributes(out.get(0).getScopeSpans(0).getSpans(0).getAttributesList()))
        .containsOnlyKeys("otel.zipkin.absentField.startTime");
    ResourceSpans shop = out.get(1);
    assertThat(attributes(shop.getResource().getAttributesList())).containsExactly(Map.entry("faas.name", "shop"),
        Map.entry("process.pid", "42"), Map.entry("opencensus.exporterversion", "x"));
    assertThat(shop.getScopeSpansList()).hasSize(2);
    assertThat(shop.getScopeSpans(0).getScope().getName()).isEqualTo("io.brave");
    assertThat(shop.getScopeSpans(0).getScope().getVersion()).isEqualTo("6.0");
    assertThat(shop.getScopeSpans(1).getScope().getName()).isEqualTo("io.other");
    Span first = shop.getScopeSpans(0).getSpans(0);
    assertThat(first.getTraceState()).isEqualTo("vendor=blue");
    assertThat(attributes(first.getAttributesList())).containsExactly(Map.entry("k", "v"),
        Map.entry("otel.zipkin.absentField.startTime", "true"));
  }

  @Test
  void missingTimestampStartsAtZeroAndIsMarked() throws Exception {
    Span s = one("{\"traceId\":\"1\",\"id\":\"2\",\"duration\":2948533}");
    assertThat(s.getStartTimeUnixNano()).isZero();
    assertThat(s.getEndTimeUnixNano()).isEqualTo(2948533_000L);
    assertThat(s.getAttributesList()).containsExactly(KeyValue.newBuilder().setKey("otel.zipkin.absentField.startTime")
        .setValue(AnyValue.newBuilder().setBoolValue(true)).build());
  }

  @Test
  void ids128BitAndSelfParent() throws Exception {
    Span s = one("{\"traceId\":\"5AF7183FB1D4CF5F0AF7651916CD43DD\",\"id\":\"00f067aa0ba902b7\","
        + "\"parentId\":\"00f067aa0ba902b7\",\"timestamp\":10}");
    assertThat(HEX.formatHex(s.getTraceId().toByteArray())).isEqualTo("5af7183fb1d4cf5f0af7651916cd43dd");
    assertThat(s.getParentSpanId()).as("a span that is its own parent is a root").isEmpty();
    Span shortIds = one("{\"traceId\":\"1a2b3c4d5e6f70819\",\"id\":\"abc\",\"parentId\":\"1\",\"timestamp\":10}");
    assertThat(HEX.formatHex(shortIds.getTraceId().toByteArray())).isEqualTo("0000000000000001a2b3c4d5e6f70819");
    assertThat(HEX.formatHex(shortIds.getSpanId().toByteArray())).isEqualTo("0000000000000abc");
    assertThat(HEX.formatHex(shortIds.getParentSpanId().toByteArray())).isEqualTo("0000000000000001");
  }

  @Test
  void encodedEventAttributesAndLinks() throws Exception {
    Span s = one(("{\"traceId\":\"1\",\"id\":\"2\",\"timestamp\":5,"
        + "\"annotations\":[{\"timestamp\":6,\"value\":\"exception|{\\\"exception.type\\\":\\\"E|x\\\",\\\"n\\\":3,"
        + "\\\"r\\\":1.5,\\\"b\\\":true,\\\"skip\\\":[1]}|2\"},{\"timestamp\":7,\"value\":\"a|b\"}],"
        + "\"tags\":{\"otlp.link.0\":\"0af7651916cd43dd8448eb211c80319c|b7ad6b7169203331|k=v|{\\\"link.reason\\\":"
        + "\\\"retry\\\"}|1\",\"otlp.link.1\":\"short|x\",\"otlp.link.3\":\"never|read|because|2|missing\"}}"));
    assertThat(s.getEventsList()).hasSize(2);
    Span.Event ex = s.getEvents(0);
    assertThat(ex.getName()).isEqualTo("exception");
    assertThat(ex.getDroppedAttributesCount()).isEqualTo(2);
    assertThat(attributes(ex.getAttributesList())).containsExactly(Map.entry("exception.type", "E|x"),
        Map.entry("n", "3"), Map.entry("r", "1.5"), Map.entry("b", "true"));
    assertThat(ex.getAttributes(1).getValue().hasIntValue()).isTrue();
    assertThat(ex.getAttributes(2).getValue().hasDoubleValue()).isTrue();
    // Fewer than three parts: only the text before the first bar names the event, as in the Collector.
    assertThat(s.getEvents(1).getName()).isEqualTo("a");
    assertThat(s.getLinksList()).singleElement().satisfies(l -> {
      assertThat(HEX.formatHex(l.getTraceId().toByteArray())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(HEX.formatHex(l.getSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
      assertThat(l.getTraceState()).isEqualTo("k=v");
      assertThat(attributes(l.getAttributesList())).containsExactly(Map.entry("link.reason", "retry"));
      assertThat(l.getDroppedAttributesCount()).isEqualTo(1);
    });
    // Links stop at the first missing index; the ones not read stay tags.
    assertThat(attributes(s.getAttributesList())).containsOnlyKeys("otlp.link.3");
  }

  @Test
  void addressesArePrintedAsGoPrintsThem() throws Exception {
    Map<String, String> cases = Map.of("::1", "::1", "0:0:0:0:0:0:0:1", "::1", "::ffff:10.0.0.1", "10.0.0.1",
        "2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "fe80:0:0:0:0:0:0:0", "fe80::", "1:0:2:0:3:0:4:0",
        "1:0:2:0:3:0:4:0");
    for (var e : cases.entrySet()) {
      Span s = one("{\"traceId\":\"1\",\"id\":\"2\",\"remoteEndpoint\":{\"ipv6\":\"" + e.getKey() + "\"}}");
      assertThat(attributes(s.getAttributesList())).as(e.getKey()).containsEntry("net.peer.ip", e.getValue());
    }
  }

  @Test
  void proto3GivesWhatTheSameSpansInJsonGive() throws Exception {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(list);
    o.writeByteArray(1, protoSpan("463ac35c9f6413ad", null, "a2fb4a1d1a96d312", 1, "get /api", 1556604172355737L,
        1431, endpoint("frontend", new byte[] {(byte) 192, (byte) 168, 99, 1}, null, 8081),
        endpoint("backend", new byte[] {(byte) 172, 19, 0, 2}, null, 9000), 1556604172355800L, "ws",
        Map.of("http.method", "GET")));
    o.writeByteArray(1, protoSpan("0000000000000000463ac35c9f6413ad", "a2fb4a1d1a96d312", "b3fb4a1d1a96d312", 0,
        "compute", 1556604172356000L, 200, endpoint("backend", null, HEX.parseHex("20010db80000000000000000" + "0000c001"),
            0), null, 0, null, Map.of("span.kind", "internal")));
    o.flush();
    String json = """
        [{"traceId":"463ac35c9f6413ad","id":"a2fb4a1d1a96d312","kind":"CLIENT","name":"get /api",
          "timestamp":1556604172355737,"duration":1431,
          "localEndpoint":{"serviceName":"frontend","ipv4":"192.168.99.1","port":8081},
          "remoteEndpoint":{"serviceName":"backend","ipv4":"172.19.0.2","port":9000},
          "annotations":[{"timestamp":1556604172355800,"value":"ws"}],"tags":{"http.method":"GET"}},
         {"traceId":"463ac35c9f6413ad","parentId":"a2fb4a1d1a96d312","id":"b3fb4a1d1a96d312","name":"compute",
          "timestamp":1556604172356000,"duration":200,"localEndpoint":{"serviceName":"backend","ipv6":"2001:db8::c001"},
          "tags":{"span.kind":"internal"}}]
        """;
    assertThat(ZipkinSpans.fromProto3(list.toByteArray()))
        .isEqualTo(ZipkinSpans.fromJson(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void malformedBodiesAreRefusedWithWhatIsWrong() {
    assertRefused("", "Empty input reading List<Span> from json");
    assertRefused("[{\"traceId\":\"1\",", "Malformed reading List<Span> from json: Unexpected end-of-input");
    assertRefused("{\"traceId\":\"1\"}", "Malformed reading List<Span> from json: expected a list of spans, not an object");
    assertRefused("[] []", "Malformed reading List<Span> from json: content after the list at line 1, column");
    assertRefused("[{\"id\":\"2\"}]", "valid traceId required reading List<Span> from json at $[0].traceId");
    assertRefused("[{\"traceId\":\"1\"}]", "valid span id required reading List<Span> from json at $[0].id");
    assertRefused("[{\"traceId\":\"0x12\",\"id\":\"2\"}]",
        "traceId should be a 1 to 32 character lower-hex string with no prefix reading List<Span> from json at $[0]");
    assertRefused("[{\"traceId\":\"" + "1".repeat(33) + "\",\"id\":\"2\"}]", "traceId should be a 1 to 32 character");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"" + "1".repeat(17) + "\"}]", "id should be a 1 to 16 character");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"2\",\"timestamp\":-1}]",
        "expected a whole, non-negative number of microseconds, not the number -1 reading List<Span> from json at "
            + "$[0].timestamp");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"2\",\"annotations\":[{\"value\":\"x\"}]}]",
        "valid annotation timestamp required reading List<Span> from json at $[0].annotations[0].timestamp");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"2\",\"tags\":{\"a\":{}}}]",
        "tag values should be strings, not an object reading List<Span> from json at $[0].tags.a");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"2\",\"localEndpoint\":{\"ipv4\":\"example.com\"}}]",
        "invalid IP address: example.com reading List<Span> from json at $[0].localEndpoint.ipv4");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"2\",\"localEndpoint\":{\"port\":70000}}]",
        "port should be a number from 0 to 65535");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"2\",\"tags\":{\"otlp.link.0\":\"zz|b7ad6b7169203331|k|{}|1\"}}]",
        "invalid length for ID in otlp.link.0");
    assertRefused("[{\"traceId\":\"1\",\"id\":\"2\",\"annotations\":[{\"timestamp\":1,\"value\":\"e|{nope|1\"}]}]",
        "the attributes of annotation e are not valid JSON");
    assertThatThrownBy(() -> ZipkinSpans.fromProto3(new byte[] {0x0a, 0x05, 0x0a}))
        .isInstanceOf(ZipkinFormatException.class).hasMessageStartingWith("Malformed reading List<Span> from proto3");
    assertThatThrownBy(() -> ZipkinSpans.fromProto3(new byte[] {0x0a, 0x02, 0x1a, 0x00}))
        .isInstanceOf(ZipkinFormatException.class)
        .hasMessage("invalid TraceID, has length 0 reading List<Span> from proto3 at spans[0]");
  }

  @Test
  void anEmptyListIsNoSpans() throws Exception {
    assertThat(ZipkinSpans.fromJson("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  private static void assertRefused(String body, String messageStart) {
    assertThatThrownBy(() -> ZipkinSpans.fromJson(body.getBytes(StandardCharsets.UTF_8)))
        .as(body).isInstanceOf(ZipkinFormatException.class).hasMessageStartingWith(messageStart);
  }

  private static String withTags(String tags) {
    return "{\"traceId\":\"1\",\"id\":\"2\",\"timestamp\":1,\"tags\":{" + tags + "}}";
  }

  private static Span one(String spanJson) throws ZipkinFormatException {
    List<ResourceSpans> out = ZipkinSpans.fromJson(("[" + spanJson + "]").getBytes(StandardCharsets.UTF_8));
    assertThat(out).hasSize(1);
    return out.get(0).getScopeSpans(0).getSpans(0);
  }

  /** Attributes as key → value text, in order; values of any type by their text. */
  private static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      out.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> Long.toString(v.getIntValue());
        case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
        case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
        default -> v.toString();
      });
    }
    return out;
  }

  private static byte[] endpoint(String service, byte[] ipv4, byte[] ipv6, int port) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(b);
    o.writeString(1, service);
    if (ipv4 != null) {
      o.writeByteArray(2, ipv4);
    }
    if (ipv6 != null) {
      o.writeByteArray(3, ipv6);
    }
    if (port != 0) {
      o.writeInt32(4, port);
    }
    o.flush();
    return b.toByteArray();
  }

  private static byte[] protoSpan(String traceId, String parentId, String id, int kind, String name, long timestamp,
      long duration, byte[] local, byte[] remote, long annotationTime, String annotation, Map<String, String> tags)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(b);
    o.writeBytes(1, ByteString.copyFrom(HEX.parseHex(traceId)));
    if (parentId != null) {
      o.writeBytes(2, ByteString.copyFrom(HEX.parseHex(parentId)));
    }
    o.writeBytes(3, ByteString.copyFrom(HEX.parseHex(id)));
    if (kind != 0) {
      o.writeEnum(4, kind);
    }
    o.writeString(5, name);
    o.writeFixed64(6, timestamp);
    o.writeUInt64(7, duration);
    o.writeByteArray(8, local);
    if (remote != null) {
      o.writeByteArray(9, remote);
    }
    if (annotation != null) {
      ByteArrayOutputStream a = new ByteArrayOutputStream();
      CodedOutputStream ao = CodedOutputStream.newInstance(a);
      ao.writeFixed64(1, annotationTime);
      ao.writeString(2, annotation);
      ao.flush();
      o.writeByteArray(10, a.toByteArray());
    }
    for (var t : tags.entrySet()) {
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      CodedOutputStream eo = CodedOutputStream.newInstance(e);
      eo.writeString(1, t.getKey());
      eo.writeString(2, t.getValue());
      eo.flush();
      o.writeByteArray(11, e.toByteArray());
    }
    o.flush();
    return b.toByteArray();
  }
}

package io.sightline.collector.receiver.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Zipkin v2 spans → OTLP, rule for rule as the Collector's {@code pkg/translator/zipkin/zipkinv2} {@code ToTraces}
 * (with {@code parse_string_tags: false}, the receiver's default, and its network feature gates off):
 *
 * <ul>
 *   <li>Spans are ordered by local service name, then {@code otel.library.name} tag; each run of one service is a
 *       resource with {@code service.name} = {@code localEndpoint.serviceName} (under the key named by the
 *       {@code otlp.service.name.source} tag if there is one), plus the resource-convention tags (semantic
 *       conventions 1.6.1: {@code host.name}, {@code service.version}, {@code k8s.*}, …) of the run's first span; a
 *       span without a service name has an empty resource. Resource-convention tags never become span attributes.
 *   <li>Each run of one library within it is a scope named by {@code otel.library.name}/{@code .version}.
 *   <li>64-bit trace ids are left-padded to 128 bits; a parent id equal to the span's own id is dropped.
 *   <li>Kind: {@code CLIENT}, {@code SERVER}, {@code PRODUCER}, {@code CONSUMER} map to OTLP's; anything else is
 *       UNSPECIFIED, or INTERNAL when the {@code span.kind} tag says {@code internal} (the tag is then consumed).
 *   <li>Status: {@code otel.status_code} ({@code Ok}/{@code Error}/{@code Unset} or {@code STATUS_CODE_*}) with
 *       {@code otel.status_description} as the message; an {@code error} tag makes it ERROR (and is consumed only
 *       when its value is {@code "true"}).
 *   <li>{@code w3c.tracestate} → trace state; {@code otlp.link.N} ({@code traceId|spanId|traceState|{json}|dropped})
 *       → links.
 *   <li>Other tags → string attributes, in the order sent; then {@code net.host.ip}/{@code net.host.port} from the
 *       local endpoint and {@code peer.service}/{@code net.peer.ip}/{@code net.peer.port} from the remote one.
 *   <li>Times: µs → ns; end = timestamp + duration. A span without a timestamp starts at 0 and gets
 *       {@code otel.zipkin.absentField.startTime = true}.
 *   <li>Annotations → events at their time; a value {@code name|{json}|dropped} gives the event its attributes.
 *   <li>{@code debug} and {@code shared} are not carried over (the Collector drops them too).
 * </ul>
 */
final class ZipkinTranslator {
  static final String NO_SERVICE_NAME = "OTLPResourceNoServiceName";
  static final String START_TIME_ABSENT = "otel.zipkin.absentField.startTime";
  static final String SERVICE_NAME_SOURCE = "otlp.service.name.source";
  static final String LIBRARY_NAME = "otel.library.name";
  static final String LIBRARY_VERSION = "otel.library.version";
  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** The Collector stops looking for links at the first missing index, and never beyond this one. */
  private static final int MAX_LINKS = 128;

  /**
   * Resource attribute names of semantic conventions 1.6.1 (the version the translator is built against), plus the
   * OpenCensus and Zipkin-specific keys it keeps off spans.
   */
  static final Set<String> NON_SPAN_ATTRIBUTES = Set.of(
      "cloud.provider", "cloud.account.id", "cloud.region", "cloud.availability_zone", "cloud.platform",
      "aws.ecs.container.arn", "aws.ecs.cluster.arn", "aws.ecs.launchtype", "aws.ecs.task.arn",
      "aws.ecs.task.family", "aws.ecs.task.revision", "aws.eks.cluster.arn", "aws.log.group.names",
      "aws.log.group.arns", "aws.log.stream.names", "aws.log.stream.arns",
      "container.name", "container.id", "container.runtime", "container.image.name", "container.image.tag",
      "deployment.environment", "device.id", "device.model.identifier", "device.model.name",
      "faas.name", "faas.id", "faas.version", "faas.instance", "faas.max_memory",
      "host.id", "host.name", "host.type", "host.arch", "host.image.name", "host.image.id", "host.image.version",
      "k8s.cluster.name", "k8s.node.name", "k8s.node.uid", "k8s.namespace.name", "k8s.pod.uid", "k8s.pod.name",
      "k8s.container.name", "k8s.replicaset.uid", "k8s.replicaset.name", "k8s.deployment.uid",
      "k8s.deployment.name", "k8s.statefulset.uid", "k8s.statefulset.name", "k8s.daemonset.uid",
      "k8s.daemonset.name", "k8s.job.uid", "k8s.job.name", "k8s.cronjob.uid", "k8s.cronjob.name",
      "os.type", "os.description", "os.name", "os.version",
      "process.pid", "process.executable.name", "process.executable.path", "process.command",
      "process.command_line", "process.command_args", "process.owner", "process.runtime.name",
      "process.runtime.version", "process.runtime.description",
      "service.name", "service.namespace", "service.instance.id", "service.version",
      "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version", "telemetry.auto.version",
      "webengine.name", "webengine.version", "webengine.description",
      SERVICE_NAME_SOURCE, LIBRARY_NAME, LIBRARY_VERSION,
      "opencensus.starttime", "opencensus.exporterversion", "opencensus.resourcetype");

  private static final Map<String, Status.StatusCode> STATUS_CODES = Map.of(
      "STATUS_CODE_UNSET", Status.StatusCode.STATUS_CODE_UNSET, "Unset", Status.StatusCode.STATUS_CODE_UNSET,
      "STATUS_CODE_OK", Status.StatusCode.STATUS_CODE_OK, "Ok", Status.StatusCode.STATUS_CODE_OK,
      "STATUS_CODE_ERROR", Status.StatusCode.STATUS_CODE_ERROR, "Error", Status.StatusCode.STATUS_CODE_ERROR);

  private ZipkinTranslator() {}

  static List<ResourceSpans> toResourceSpans(List<ZipkinSpan> spans) throws ZipkinFormatException {
    List<ZipkinSpan> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparing(ZipkinTranslator::serviceName).thenComparing(ZipkinTranslator::library));
    List<ResourceSpans> out = new ArrayList<>();
    ResourceSpans.Builder resource = null;
    ScopeSpans.Builder scope = null;
    String service = null;
    String library = null;
    for (ZipkinSpan zs : sorted) {
      Map<String, String> tags = new LinkedHashMap<>(zs.tags());
      String s = serviceName(zs);
      if (!s.equals(service)) {
        flush(out, resource, scope);
        service = s;
        resource = ResourceSpans.newBuilder().setResource(resource(tags, s));
        scope = null;
      }
      String l = library(zs);
      if (scope == null || !l.equals(library)) {
        if (scope != null) {
          resource.addScopeSpans(scope);
        }
        library = l;
        scope = ScopeSpans.newBuilder().setScope(scope(tags, l));
      }
      scope.addSpans(span(zs, tags));
    }
    flush(out, resource, scope);
    return out;
  }

  private static void flush(List<ResourceSpans> out, ResourceSpans.Builder resource, ScopeSpans.Builder scope) {
    if (resource != null) {
      if (scope != null) {
        resource.addScopeSpans(scope);
      }
      out.add(resource.build());
    }
  }

  private static String serviceName(ZipkinSpan s) {
    return s.localEndpoint() == null || s.localEndpoint().serviceName().isEmpty() ? NO_SERVICE_NAME
        : s.localEndpoint().serviceName();
  }

  private static String library(ZipkinSpan s) {
    return s.tags().getOrDefault(LIBRARY_NAME, "");
  }

  /** From the first span of a service's run; consumes the tags it uses. */
  private static Resource resource(Map<String, String> tags, String service) {
    Resource.Builder r = Resource.newBuilder();
    if (service.equals(NO_SERVICE_NAME)) {
      return r.build();
    }
    String key = tags.remove(SERVICE_NAME_SOURCE);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(key == null || key.isEmpty() ? "service.name" : key, service);
    var it = tags.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (NON_SPAN_ATTRIBUTES.contains(e.getKey()) && !e.getKey().equals(LIBRARY_NAME)
          && !e.getKey().equals(LIBRARY_VERSION)) {
        attributes.put(e.getKey(), e.getValue());
        it.remove();
      }
    }
    attributes.forEach((k, v) -> r.addAttributes(keyValue(k, string(v))));
    return r.build();
  }

  private static InstrumentationScope scope(Map<String, String> tags, String library) {
    InstrumentationScope.Builder s = InstrumentationScope.newBuilder();
    if (library.isEmpty()) {
      return s.build();
    }
    String name = tags.remove(LIBRARY_NAME);
    String version = tags.remove(LIBRARY_VERSION);
    if (name != null) {
      s.setName(name);
    }
    if (version != null) {
      s.setVersion(version);
    }
    return s.build();
  }

  private static Span span(ZipkinSpan zs, Map<String, String> tags) throws ZipkinFormatException {
    Span.Builder span = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(longs(zs.traceIdHigh(), zs.traceIdLow())))
        .setSpanId(ByteString.copyFrom(longs(zs.id())))
        .setName(zs.name());
    String traceState = tags.remove("w3c.tracestate");
    if (traceState != null) {
      span.setTraceState(traceState);
    }
    if (zs.parentId() != 0 && zs.parentId() != zs.id()) {
      span.setParentSpanId(ByteString.copyFrom(longs(zs.parentId())));
    }
    span.setKind(kind(zs.kind(), tags));
    Status status = status(tags);
    if (!status.equals(Status.getDefaultInstance())) {
      span.setStatus(status);
    }
    links(tags, span);

    Map<String, AnyValue> attributes = new LinkedHashMap<>();
    tags.forEach((k, v) -> {
      if (!NON_SPAN_ATTRIBUTES.contains(k)) {
        attributes.put(k, string(v));
      }
    });
    ZipkinSpan.Endpoint local = zs.localEndpoint();
    if (local != null) {
      if (local.ipv4() != null) {
        attributes.put("net.host.ip", string(local.ipv4()));
      }
      if (local.ipv6() != null) {
        attributes.put("net.host.ip", string(local.ipv6()));
      }
      if (local.port() > 0) {
        attributes.put("net.host.port", integer(local.port()));
      }
    }
    ZipkinSpan.Endpoint remote = zs.remoteEndpoint();
    if (remote != null) {
      if (!remote.serviceName().isEmpty()) {
        attributes.put("peer.service", string(remote.serviceName()));
      }
      if (remote.ipv4() != null) {
        attributes.put("net.peer.ip", string(remote.ipv4()));
      }
      if (remote.ipv6() != null) {
        attributes.put("net.peer.ip", string(remote.ipv6()));
      }
      if (remote.port() > 0) {
        attributes.put("net.peer.port", integer(remote.port()));
      }
    }
    long start = nanos(zs.timestampMicros(), "timestamp");
    long duration = nanos(zs.durationMicros(), "duration");
    if (zs.timestampMicros() == 0) {
      attributes.put(START_TIME_ABSENT, AnyValue.newBuilder().setBoolValue(true).build());
    }
    if (start > Long.MAX_VALUE - duration) {
      throw new ZipkinFormatException("timestamp + duration is beyond the year 2262");
    }
    span.setStartTimeUnixNano(start).setEndTimeUnixNano(start + duration);
    attributes.forEach((k, v) -> span.addAttributes(keyValue(k, v)));

    for (ZipkinSpan.Annotation a : zs.annotations()) {
      span.addEvents(event(a));
    }
    return span.build();
  }

  private static Span.SpanKind kind(String kind, Map<String, String> tags) {
    if (kind != null) {
      switch (kind) {
        case "CLIENT" -> {
          return Span.SpanKind.SPAN_KIND_CLIENT;
        }
        case "SERVER" -> {
          return Span.SpanKind.SPAN_KIND_SERVER;
        }
        case "PRODUCER" -> {
          return Span.SpanKind.SPAN_KIND_PRODUCER;
        }
        case "CONSUMER" -> {
          return Span.SpanKind.SPAN_KIND_CONSUMER;
        }
        default -> { }
      }
    }
    String tag = tags.remove("span.kind");
    return "internal".equals(tag) ? Span.SpanKind.SPAN_KIND_INTERNAL : Span.SpanKind.SPAN_KIND_UNSPECIFIED;
  }

  private static Status status(Map<String, String> tags) {
    Status.Builder status = Status.newBuilder();
    String code = tags.remove("otel.status_code");
    if (code != null) {
      // An unknown value is UNSET: the Collector looks it up in a map whose zero value is UNSET.
      status.setCode(STATUS_CODES.getOrDefault(code, Status.StatusCode.STATUS_CODE_UNSET));
      String description = tags.remove("otel.status_description");
      if (description != null) {
        status.setMessage(description);
      }
    }
    String error = tags.get("error");
    if (error != null) {
      status.setCode(Status.StatusCode.STATUS_CODE_ERROR);
      if (error.equals("true")) {
        tags.remove("error");
      }
    }
    return status.build();
  }

  private static void links(Map<String, String> tags, Span.Builder span) throws ZipkinFormatException {
    for (int i = 0; i < MAX_LINKS; i++) {
      String value = tags.remove("otlp.link." + i);
      if (value == null) {
        return;
      }
      String[] parts = value.split("\\|", -1);
      if (parts.length < 5) {
        continue;
      }
      Span.Link.Builder link = Span.Link.newBuilder()
          .setTraceId(ByteString.copyFrom(hexId(parts[0], 16, "otlp.link." + i)))
          .setSpanId(ByteString.copyFrom(hexId(parts[1], 8, "otlp.link." + i)))
          .setTraceState(parts[2]);
      String json = String.join("|", java.util.Arrays.copyOfRange(parts, 3, parts.length - 1));
      jsonAttributes(json, "otlp.link." + i).forEach((k, v) -> link.addAttributes(keyValue(k, v)));
      link.setDroppedAttributesCount(droppedCount(parts[parts.length - 1], "otlp.link." + i));
      span.addLinks(link);
    }
  }

  private static Span.Event event(ZipkinSpan.Annotation a) throws ZipkinFormatException {
    Span.Event.Builder event = Span.Event.newBuilder().setTimeUnixNano(nanos(a.timestampMicros(), "annotation"));
    String[] parts = a.value().split("\\|", -1);
    event.setName(parts[0]);
    if (parts.length >= 3) {
      String json = String.join("|", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
      jsonAttributes(json, "annotation " + parts[0]).forEach((k, v) -> event.addAttributes(keyValue(k, v)));
      event.setDroppedAttributesCount(droppedCount(parts[parts.length - 1], "annotation " + parts[0]));
    }
    return event.build();
  }

  /**
   * The JSON object of an encoded event or link: strings, numbers (whole ones as ints, as Go's float64 test does) and
   * booleans; other values are left out, as the Collector leaves them out.
   */
  private static Map<String, AnyValue> jsonAttributes(String json, String where) throws ZipkinFormatException {
    Map<String, AnyValue> out = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        return out;
      }
      if (t != JsonToken.START_OBJECT) {
        throw new ZipkinFormatException("the attributes of " + where + " are not a JSON object");
      }
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        switch (p.nextToken()) {
          case VALUE_STRING -> out.put(key, string(p.getText()));
          case VALUE_TRUE, VALUE_FALSE -> out.put(key, AnyValue.newBuilder().setBoolValue(p.getBooleanValue()).build());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
            double d = p.getDoubleValue();
            out.put(key, d % 1.0 == 0.0 && Math.abs(d) < 0x1p63 ? integer((long) d)
                : AnyValue.newBuilder().setDoubleValue(d).build());
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new ZipkinFormatException("the attributes of " + where + " have content after the JSON object");
      }
    } catch (IOException e) {
      throw new ZipkinFormatException("the attributes of " + where + " are not valid JSON: " + e.getMessage());
    }
    return out;
  }

  private static int droppedCount(String text, String where) throws ZipkinFormatException {
    try {
      long n = Long.parseLong(text);
      if (n < 0 || n > 0xFFFF_FFFFL || text.startsWith("+")) {
        throw new NumberFormatException();
      }
      return (int) n;
    } catch (NumberFormatException e) {
      throw new ZipkinFormatException("the dropped attributes count of " + where + " is not a number: " + text);
    }
  }

  /** Hex of exactly {@code bytes} bytes, or all zeros when empty (the Collector's {@code unmarshalJSON}). */
  private static byte[] hexId(String text, int bytes, String where) throws ZipkinFormatException {
    String s = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
        ? text.substring(1, text.length() - 1) : text;
    byte[] out = new byte[bytes];
    if (s.isEmpty()) {
      return out;
    }
    if (s.length() != 2 * bytes) {
      throw new ZipkinFormatException("invalid length for ID in " + where);
    }
    try {
      return java.util.HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw new ZipkinFormatException("cannot unmarshal ID from string '" + s + "' in " + where);
    }
  }

  private static long nanos(long micros, String what) throws ZipkinFormatException {
    if (micros > Long.MAX_VALUE / 1000) {
      throw new ZipkinFormatException(what + " " + Long.toUnsignedString(micros) + "µs is beyond the year 2262");
    }
    return micros * 1000;
  }

  private static byte[] longs(long... values) {
    byte[] out = new byte[values.length * 8];
    for (int i = 0; i < values.length; i++) {
      for (int b = 0; b < 8; b++) {
        out[i * 8 + b] = (byte) (values[i] >>> (56 - 8 * b));
      }
    }
    return out;
  }

  private static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static AnyValue integer(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  private static KeyValue keyValue(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }
}

package io.sightline.api.jaeger;

import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.api.otlp.AnyValues;
import io.sightline.core.model.GoFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Jaeger's UI trace model ({@code {"traceID", "spans", "processes", "warnings"}}) from an OTLP trace, as Jaeger v2's
 * query service makes it: first its standard adjusters that change what is shown (attributes sorted by key, events by
 * name; the SDK's {@code telemetry.sdk.*} and {@code telemetry.distro.*} moved from span to resource; links without a
 * trace id dropped with a warning), then the Collector's OTLP → Jaeger translation (scope, kind, status and trace state
 * as tags; events as logs; parent and links as references), then the UI converter (processes {@code p1, p2, …} by first
 * use; times in microseconds; ids in hex).
 */
final class JaegerTraces {
  /** Where Jaeger keeps a span's warnings while it is OTLP (an attribute holding a string array). */
  static final String WARNINGS_ATTRIBUTE = "@jaeger@warnings";
  private static final long JS_MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final Set<String> LIBRARY_KEYS = Set.of("telemetry.sdk.language", "telemetry.sdk.name",
      "telemetry.sdk.version", "telemetry.distro.name", "telemetry.distro.version");

  private JaegerTraces() {}

  /** A trace that has spans, as one element of the {@code data} array. */
  static void write(JsonGenerator g, TracesData trace) throws IOException {
    Map<Process, String> processIds = new LinkedHashMap<>();
    List<SpanView> spans = new ArrayList<>();
    for (ResourceSpans rs : trace.getResourceSpansList()) {
      List<KeyValue> resourceAttributes = sorted(rs.getResource().getAttributesList());
      List<Span> adjusted = new ArrayList<>();
      List<InstrumentationScope> scopes = new ArrayList<>();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          adjusted.add(span);
          scopes.add(ss.getScope());
        }
      }
      // MoveLibraryAttributes: the SDK's own attributes belong to the resource; Go appends them after the sort.
      List<List<String>> warnings = new ArrayList<>();
      for (int i = 0; i < adjusted.size(); i++) {
        Span span = adjusted.get(i);
        List<String> spanWarnings = new ArrayList<>(warningsOf(span));
        List<KeyValue> kept = new ArrayList<>();
        for (KeyValue kv : sorted(span.getAttributesList())) {
          if (LIBRARY_KEYS.contains(kv.getKey())) {
            KeyValue existing = find(resourceAttributes, kv.getKey());
            if (existing == null) {
              resourceAttributes.add(kv);
              continue;
            }
            if (AnyValues.asString(existing.getValue()).equals(AnyValues.asString(kv.getValue()))) {
              continue;
            }
            spanWarnings.add("conflicting values between Span and Resource for attribute " + kv.getKey());
          }
          if (!kv.getKey().equals(WARNINGS_ATTRIBUTE)) {
            kept.add(kv);
          }
        }
        warnings.add(spanWarnings);
        adjusted.set(i, span.toBuilder().clearAttributes().addAllAttributes(kept).build());
      }
      Process process = process(resourceAttributes);
      String id = processIds.get(process);
      if (id == null) {
        id = "p" + (processIds.size() + 1);
        processIds.put(process, id);
      }
      for (int i = 0; i < adjusted.size(); i++) {
        spans.add(new SpanView(adjusted.get(i), scopes.get(i), id, warnings.get(i)));
      }
    }
    g.writeStartObject();
    g.writeStringField("traceID", spans.isEmpty() ? "" : traceId(spans.get(0).span.getTraceId().toByteArray()));
    g.writeArrayFieldStart("spans");
    for (SpanView s : spans) {
      writeSpan(g, s);
    }
    g.writeEndArray();
    // Go writes a map's keys sorted as strings: p1, p10, p2.
    Map<String, Process> byId = new TreeMap<>();
    processIds.forEach((p, id) -> byId.put(id, p));
    g.writeObjectFieldStart("processes");
    for (Map.Entry<String, Process> e : byId.entrySet()) {
      g.writeFieldName(e.getKey());
      writeProcess(g, e.getValue());
    }
    g.writeEndObject();
    g.writeNullField("warnings");
    g.writeEndObject();
  }

  private record SpanView(Span span, InstrumentationScope scope, String processId, List<String> warnings) {}

  /** A resource as a Jaeger process: {@code service.name} is its name, the other attributes its tags. */
  record Process(String serviceName, List<KeyValue> tags) {}

  static Process process(List<KeyValue> resourceAttributes) {
    if (resourceAttributes.isEmpty()) {
      return new Process("OTLPResourceNoServiceName", List.of());
    }
    String service = "";
    List<KeyValue> tags = new ArrayList<>();
    for (KeyValue kv : resourceAttributes) {
      if (kv.getKey().equals("service.name")) {
        service = kv.getValue().getStringValue();
      } else {
        tags.add(kv);
      }
    }
    return new Process(service, List.copyOf(tags));
  }

  private static void writeProcess(JsonGenerator g, Process p) throws IOException {
    g.writeStartObject();
    g.writeStringField("serviceName", p.serviceName());
    g.writeArrayFieldStart("tags");
    for (KeyValue kv : p.tags()) {
      writeTag(g, kv.getKey(), kv.getValue());
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeSpan(JsonGenerator g, SpanView v) throws IOException {
    Span span = v.span;
    byte[] traceId = span.getTraceId().toByteArray();
    g.writeStartObject();
    g.writeStringField("traceID", traceId(traceId));
    g.writeStringField("spanID", spanId(span.getSpanId().toByteArray()));
    g.writeStringField("operationName", span.getName());
    g.writeArrayFieldStart("references");
    writeReferences(g, span, traceId);
    g.writeEndArray();
    long startNanos = span.getStartTimeUnixNano();
    g.writeNumberField("startTime", Long.divideUnsigned(startNanos, 1000));
    g.writeNumberField("duration", (span.getEndTimeUnixNano() - startNanos) / 1000);
    g.writeArrayFieldStart("tags");
    writeSpanTags(g, span, v.scope);
    g.writeEndArray();
    g.writeArrayFieldStart("logs");
    List<Span.Event> events = new ArrayList<>(span.getEventsList());
    events.sort(Comparator.comparing(Span.Event::getName)); // SortCollections, stable as Go's sort of a pdata slice
    for (Span.Event e : events) {
      g.writeStartObject();
      g.writeNumberField("timestamp", Long.divideUnsigned(e.getTimeUnixNano(), 1000));
      g.writeArrayFieldStart("fields");
      List<KeyValue> attributes = sorted(e.getAttributesList());
      if (!e.getName().isEmpty() && find(attributes, "event") == null) {
        writeString(g, "event", e.getName());
      }
      for (KeyValue kv : attributes) {
        writeTag(g, kv.getKey(), kv.getValue());
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("processID", v.processId);
    List<String> warnings = new ArrayList<>(v.warnings);
    for (Span.Link link : span.getLinksList()) {
      if (isZero(link.getTraceId().toByteArray())) {
        warnings.add("Invalid span link removed");
      }
    }
    if (warnings.isEmpty()) {
      g.writeNullField("warnings");
    } else {
      g.writeArrayFieldStart("warnings");
      for (String w : warnings) {
        g.writeString(w);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** The parent first (as CHILD_OF, unless a link to it says otherwise), then the links. */
  private static void writeReferences(JsonGenerator g, Span span, byte[] traceId) throws IOException {
    byte[] parent = span.getParentSpanId().toByteArray();
    boolean hasParent = parent.length == 8 && !isZero(parent);
    String parentType = "CHILD_OF";
    List<Span.Link> links = new ArrayList<>();
    for (Span.Link link : span.getLinksList()) {
      if (isZero(link.getTraceId().toByteArray())) {
        continue; // RemoveEmptySpanLinks
      }
      if (hasParent && java.util.Arrays.equals(link.getTraceId().toByteArray(), traceId)
          && java.util.Arrays.equals(link.getSpanId().toByteArray(), parent)) {
        parentType = referenceType(link);
        continue;
      }
      links.add(link);
    }
    if (hasParent) {
      writeReference(g, parentType, traceId, parent);
    }
    for (Span.Link link : links) {
      writeReference(g, referenceType(link), link.getTraceId().toByteArray(), link.getSpanId().toByteArray());
    }
  }

  private static String referenceType(Span.Link link) {
    KeyValue refType = find(link.getAttributesList(), "opentracing.ref_type");
    return refType != null && refType.getValue().getStringValue().equals("child_of") ? "CHILD_OF" : "FOLLOWS_FROM";
  }

  private static void writeReference(JsonGenerator g, String type, byte[] traceId, byte[] spanId) throws IOException {
    g.writeStartObject();
    g.writeStringField("refType", type);
    g.writeStringField("traceID", traceId(traceId));
    g.writeStringField("spanID", spanId(spanId));
    g.writeEndObject();
  }

  private static void writeSpanTags(JsonGenerator g, Span span, InstrumentationScope scope) throws IOException {
    if (!scope.getName().isEmpty()) {
      writeString(g, "otel.scope.name", scope.getName());
    }
    if (!scope.getVersion().isEmpty()) {
      writeString(g, "otel.scope.version", scope.getVersion());
    }
    for (KeyValue kv : span.getAttributesList()) {
      writeTag(g, kv.getKey(), kv.getValue());
    }
    String kind = switch (span.getKind()) {
      case SPAN_KIND_CLIENT -> "client";
      case SPAN_KIND_SERVER -> "server";
      case SPAN_KIND_PRODUCER -> "producer";
      case SPAN_KIND_CONSUMER -> "consumer";
      case SPAN_KIND_INTERNAL -> "internal";
      default -> null;
    };
    if (kind != null) {
      writeString(g, "span.kind", kind);
    }
    Status.StatusCode code = span.getStatus().getCode();
    if (code == Status.StatusCode.STATUS_CODE_ERROR || code == Status.StatusCode.STATUS_CODE_OK) {
      writeString(g, "otel.status_code", code == Status.StatusCode.STATUS_CODE_ERROR ? "ERROR" : "OK");
    }
    if (code == Status.StatusCode.STATUS_CODE_ERROR) {
      g.writeStartObject();
      g.writeStringField("key", "error");
      g.writeStringField("type", "bool");
      g.writeBooleanField("value", true);
      g.writeEndObject();
    }
    if (!span.getStatus().getMessage().isEmpty()) {
      writeString(g, "otel.status_description", span.getStatus().getMessage());
    }
    if (!span.getTraceState().isEmpty()) {
      writeString(g, "w3c.tracestate", span.getTraceState());
    }
  }

  private static void writeString(JsonGenerator g, String key, String value) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    g.writeStringField("type", "string");
    g.writeStringField("value", value);
    g.writeEndObject();
  }

  /** One typed tag: maps and arrays become their JSON text, as the Collector's translator renders them. */
  static void writeTag(JsonGenerator g, String key, AnyValue v) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    switch (v.getValueCase()) {
      case BOOL_VALUE -> {
        g.writeStringField("type", "bool");
        g.writeBooleanField("value", v.getBoolValue());
      }
      case INT_VALUE -> {
        g.writeStringField("type", "int64");
        long x = v.getIntValue();
        if (x > JS_MAX_SAFE_INTEGER || x < -JS_MAX_SAFE_INTEGER) {
          g.writeStringField("value", Long.toString(x)); // beyond what JavaScript holds exactly
        } else {
          g.writeNumberField("value", x);
        }
      }
      case DOUBLE_VALUE -> {
        g.writeStringField("type", "float64");
        double d = v.getDoubleValue();
        g.writeFieldName("value");
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          g.writeString(GoFormat.plain(d)); // JSON has no such number
        } else {
          g.writeNumber(GoFormat.encodingJson(d));
        }
      }
      case BYTES_VALUE -> {
        g.writeStringField("type", "binary");
        g.writeStringField("value", Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      }
      default -> {
        g.writeStringField("type", "string");
        g.writeStringField("value", AnyValues.asString(v));
      }
    }
    g.writeEndObject();
  }

  private static List<String> warningsOf(Span span) {
    KeyValue kv = find(span.getAttributesList(), WARNINGS_ATTRIBUTE);
    if (kv == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (AnyValue w : kv.getValue().getArrayValue().getValuesList()) {
      out.add(w.getStringValue());
    }
    return out;
  }

  /** SortCollections: by key, stable, so that a repeated key keeps its order. */
  private static List<KeyValue> sorted(List<KeyValue> attributes) {
    List<KeyValue> out = new ArrayList<>(attributes);
    out.sort(Comparator.comparing(KeyValue::getKey));
    return out;
  }

  private static KeyValue find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv;
      }
    }
    return null;
  }

  /** Jaeger's {@code TraceID.String()}: 32 hex digits, or 16 when the high half is zero. */
  static String traceId(byte[] id) {
    String hex = java.util.HexFormat.of().formatHex(id);
    if (id.length == 16 && hex.startsWith("0000000000000000")) {
      return hex.substring(16);
    }
    return hex;
  }

  static String spanId(byte[] id) {
    return java.util.HexFormat.of().formatHex(id);
  }

  private static boolean isZero(byte[] id) {
    for (byte b : id) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

}

package io.sightline.api.jaeger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.api.otlp.AnyValues;
import io.sightline.core.model.GoDuration;
import io.sightline.core.model.GoFormat;
import io.sightline.tracestore.Condition;
import io.sightline.tracestore.FetchRequest;
import io.sightline.tracestore.Operation;
import io.sightline.tracestore.TraceStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Jaeger's query HTTP API (the one Grafana's Jaeger data source and the Jaeger UI call), under {@code /jaeger/api}
 * because Tempo owns {@code /api/traces}: services, operations, trace search, trace by id and dependencies, in Jaeger's
 * {@code {"data", "total", "limit", "offset", "errors"}} envelope, errors with Jaeger's status codes and messages.
 */
public final class JaegerApi {
  /** Jaeger's default for {@code limit}: traces per search. */
  static final int DEFAULT_LIMIT = 100;
  /** Jaeger's default look-back for a search without {@code start}: the query service's 2 days. */
  static final long DEFAULT_SEARCH_LOOKBACK_NANOS = 2L * 24 * 3600 * 1_000_000_000L;
  /** Jaeger's default look-back of {@code /dependencies}: 24 hours, in milliseconds. */
  static final long DEFAULT_DEPENDENCIES_LOOKBACK_MS = 24L * 3600 * 1000;
  private static final JsonFactory JSON = new JsonFactory();
  private static final String[] KIND_NAMES = {"", "internal", "server", "client", "producer", "consumer"};

  private final Supplier<TraceStore> store;
  private final int maxTracesRead;

  /**
   * @param maxTracesRead how many traces one search or {@code /dependencies} reads at most (newest first): the bound
   *     on a request's cost, as a search that finds few matches would otherwise read every stored trace
   */
  public JaegerApi(Supplier<TraceStore> store, int maxTracesRead) {
    this.store = store;
    this.maxTracesRead = maxTracesRead;
  }

  public void addRoutes(ServerBuilder sb) {
    route(sb, "/jaeger/api/services", (ctx, q) -> {
      List<String> services = store.get().services();
      return ok(g -> {
        g.writeStartArray();
        for (String s : services) {
          g.writeString(s);
        }
        g.writeEndArray();
      }, services.size());
    });
    route(sb, "/jaeger/api/services/{service}/operations", (ctx, q) -> {
      Set<String> names = new LinkedHashSet<>();
      for (Operation op : store.get().operations(ctx.pathParam("service"))) {
        names.add(op.name());
      }
      return ok(g -> {
        g.writeStartArray();
        for (String n : names) {
          g.writeString(n);
        }
        g.writeEndArray();
      }, names.size());
    });
    route(sb, "/jaeger/api/operations", this::operations);
    route(sb, "/jaeger/api/traces", this::search);
    route(sb, "/jaeger/api/traces/{traceID}", this::traceById);
    route(sb, "/jaeger/api/dependencies", this::dependencies);
  }

  private HttpResponse operations(ServiceRequestContext ctx, QueryParams q) throws IOException, JaegerError {
    String service = q.get("service", "");
    if (service.isEmpty()) {
      throw new JaegerError(400, "parameter 'service' is required");
    }
    String spanKind = q.get("spanKind", "");
    List<Operation> found = new ArrayList<>();
    for (Operation op : store.get().operations(service)) {
      if (spanKind.isEmpty() || kindName(op.spanKind()).equals(spanKind)) {
        found.add(op);
      }
    }
    return ok(g -> {
      g.writeStartArray();
      for (Operation op : found) {
        g.writeStartObject();
        g.writeStringField("name", op.name());
        g.writeStringField("spanKind", kindName(op.spanKind()));
        g.writeEndObject();
      }
      g.writeEndArray();
    }, found.size());
  }

  private HttpResponse traceById(ServiceRequestContext ctx, QueryParams q) throws IOException, JaegerError {
    byte[] id = parseTraceId(ctx.pathParam("traceID"));
    long start = micros(q, "start", 0);
    long end = micros(q, "end", Long.MAX_VALUE);
    parseBool(q, "raw");
    Optional<TracesData> trace = store.get().trace(id, start, end);
    if (trace.isEmpty() || spanCount(trace.get()) == 0) {
      throw new JaegerError(404, "trace not found");
    }
    return ok(g -> {
      g.writeStartArray();
      JaegerTraces.write(g, trace.get());
      g.writeEndArray();
    }, 0);
  }

  /** Jaeger's FindTraces: traces with a span that has the service, the operation, every tag and a fitting duration. */
  private HttpResponse search(ServiceRequestContext ctx, QueryParams q) throws IOException, JaegerError {
    long now = System.currentTimeMillis() * 1_000_000L;
    long end = micros(q, "end", now);
    long start = micros(q, "start", now - DEFAULT_SEARCH_LOOKBACK_NANOS);
    Map<String, String> tags = tags(q);
    int limit = DEFAULT_LIMIT;
    String limitParam = q.get("limit", "");
    if (!limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        throw new JaegerError(400, "strconv.ParseInt: parsing " + GoFormat.quote(limitParam) + ": invalid syntax");
      }
    }
    long minDuration = duration(q, "minDuration");
    long maxDuration = duration(q, "maxDuration");
    if (minDuration != 0 && maxDuration != 0 && maxDuration < minDuration) {
      throw new JaegerError(400, "'maxDuration' should be greater than 'minDuration'");
    }
    List<byte[]> ids = new ArrayList<>();
    for (String id : q.getAll("traceID")) {
      try {
        ids.add(parseTraceId(id));
      } catch (JaegerError e) {
        throw new JaegerError(400, "cannot parse traceID param: " + e.getMessage());
      }
    }
    parseBool(q, "raw");
    List<TracesData> found = new ArrayList<>();
    List<String[]> errors = new ArrayList<>();
    if (!ids.isEmpty()) {
      for (byte[] id : ids) {
        Optional<TracesData> t = store.get().trace(id, 0, Long.MAX_VALUE);
        if (t.isPresent() && spanCount(t.get()) > 0) {
          found.add(t.get());
        } else {
          errors.add(new String[] {"trace not found", JaegerTraces.traceId(id)});
        }
      }
    } else {
      String service = q.get("service", "");
      String operation = q.get("operation", "");
      List<Condition> conditions = new ArrayList<>();
      if (!service.isEmpty()) {
        conditions.add(Condition.intrinsic(Condition.Intrinsic.SERVICE_NAME, service));
      }
      if (!operation.isEmpty()) {
        conditions.add(Condition.intrinsic(Condition.Intrinsic.NAME, operation));
      }
      if (limit > 0) {
        SpanQuery query = new SpanQuery(service, operation, tags, minDuration, maxDuration, start, end);
        // Durations here are of spans, not traces: the store's trace-level duration bounds cannot be used.
        int wanted = limit;
        store.get().fetch(new FetchRequest(start, end, conditions, 0, 0, maxTracesRead), (traceId, trace) -> {
          if (query.matches(trace)) {
            found.add(trace);
          }
          return found.size() < wanted;
        });
      }
    }
    return ok(g -> {
      g.writeStartArray();
      for (TracesData t : found) {
        JaegerTraces.write(g, t);
      }
      g.writeEndArray();
    }, 0, errors);
  }

  /** What one span must have for its trace to be found. */
  private record SpanQuery(String service, String operation, Map<String, String> tags, long minDuration,
      long maxDuration, long start, long end) {
    boolean matches(TracesData trace) {
      for (ResourceSpans rs : trace.getResourceSpansList()) {
        String serviceName = "";
        for (KeyValue kv : rs.getResource().getAttributesList()) {
          if (kv.getKey().equals("service.name")) {
            serviceName = kv.getValue().getStringValue();
          }
        }
        if (!service.isEmpty() && !service.equals(serviceName)) {
          continue;
        }
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            if (matches(span, rs.getResource().getAttributesList())) {
              return true;
            }
          }
        }
      }
      return false;
    }

    private boolean matches(Span span, List<KeyValue> resource) {
      if (!operation.isEmpty() && !operation.equals(span.getName())) {
        return false;
      }
      long duration = span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
      if (minDuration != 0 && duration < minDuration || maxDuration != 0 && duration > maxDuration) {
        return false;
      }
      if (span.getStartTimeUnixNano() < start || span.getStartTimeUnixNano() > end) {
        return false;
      }
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        if (!hasTag(span, resource, tag.getKey(), tag.getValue())) {
          return false;
        }
      }
      return true;
    }

    /** Jaeger looks in the span's tags (its translated status and kind included), its process and its logs. */
    private static boolean hasTag(Span span, List<KeyValue> resource, String key, String value) {
      if (has(span.getAttributesList(), key, value) || has(resource, key, value)) {
        return true;
      }
      for (Span.Event e : span.getEventsList()) {
        if (has(e.getAttributesList(), key, value) || key.equals("event") && e.getName().equals(value)) {
          return true;
        }
      }
      return switch (key) {
        case "error" -> value.equals("true") && span.getStatus().getCodeValue() == 2;
        case "otel.status_code" -> value.equals(new String[] {"", "OK", "ERROR"}[span.getStatus().getCodeValue()]);
        case "span.kind" -> value.equals(kindName(span.getKindValue()));
        case "otel.status_description" -> value.equals(span.getStatus().getMessage());
        default -> false;
      };
    }

    private static boolean has(List<KeyValue> attributes, String key, String value) {
      for (KeyValue kv : attributes) {
        if (kv.getKey().equals(key) && AnyValues.asString(kv.getValue()).equals(value)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Parent → child service call counts over the traces that started in the look-back window. */
  private HttpResponse dependencies(ServiceRequestContext ctx, QueryParams q) throws IOException, JaegerError {
    long endMs = millisParam(q, "endTs", System.currentTimeMillis());
    long lookbackMs = millisParam(q, "lookback", DEFAULT_DEPENDENCIES_LOOKBACK_MS);
    String onlyService = q.get("service", "");
    long end = endMs * 1_000_000L;
    long start = Math.max(0, end - lookbackMs * 1_000_000L);
    Map<List<String>, long[]> links = new LinkedHashMap<>();
    store.get().fetch(new FetchRequest(start, end, List.of(), 0, 0, maxTracesRead), (traceId, trace) -> {
      Map<com.google.protobuf.ByteString, String> serviceOfSpan = new HashMap<>();
      List<Object[]> parentAndService = new ArrayList<>();
      for (ResourceSpans rs : trace.getResourceSpansList()) {
        String service = serviceName(rs);
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            serviceOfSpan.put(span.getSpanId(), service);
            if (!span.getParentSpanId().isEmpty()) {
              parentAndService.add(new Object[] {span.getParentSpanId(), service});
            }
          }
        }
      }
      for (Object[] ps : parentAndService) {
        String parent = serviceOfSpan.get(ps[0]);
        String child = (String) ps[1];
        if (parent != null && !parent.equals(child)) {
          links.computeIfAbsent(List.of(parent, child), k -> new long[1])[0]++;
        }
      }
      return true;
    });
    Map<List<String>, long[]> kept = new TreeMap<>((a, b) -> !a.get(0).equals(b.get(0))
        ? a.get(0).compareTo(b.get(0)) : a.get(1).compareTo(b.get(1)));
    links.forEach((k, v) -> {
      if (onlyService.isEmpty() || k.contains(onlyService)) {
        kept.put(k, v);
      }
    });
    return ok(g -> {
      g.writeStartArray();
      for (Map.Entry<List<String>, long[]> e : kept.entrySet()) {
        g.writeStartObject();
        g.writeStringField("parent", e.getKey().get(0));
        g.writeStringField("child", e.getKey().get(1));
        g.writeNumberField("callCount", e.getValue()[0]);
        g.writeEndObject();
      }
      g.writeEndArray();
    }, 0);
  }

  private static String serviceName(ResourceSpans rs) {
    for (KeyValue kv : rs.getResource().getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return kv.getValue().getStringValue();
      }
    }
    return rs.getResource().getAttributesCount() == 0 ? "OTLPResourceNoServiceName" : "";
  }

  static String kindName(int kind) {
    return kind >= 0 && kind < KIND_NAMES.length ? KIND_NAMES[kind] : "";
  }

  private static int spanCount(TracesData trace) {
    int n = 0;
    for (ResourceSpans rs : trace.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  /** Hex (up to 32 digits, as Jaeger's TraceIDFromString) or, as Jaeger v2 also takes, a base64 16-byte id. */
  static byte[] parseTraceId(String s) throws JaegerError {
    if (s.length() > 32) {
      if (s.length() == 24 || s.length() == 22) {
        byte[] b64 = base64Id(s);
        if (b64 != null) {
          return b64;
        }
      }
      throw new JaegerError(400, "TraceID cannot be longer than 32 hex characters: " + s);
    }
    if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      byte[] b64 = base64Id(s);
      if (b64 != null) {
        return b64;
      }
      throw new JaegerError(400, "strconv.ParseUint: parsing " + GoFormat.quote(s) + ": invalid syntax");
    }
    String padded = "0".repeat(32 - s.length()) + s;
    return HexFormat.of().parseHex(padded);
  }

  private static byte[] base64Id(String s) {
    try {
      byte[] b = Base64.getDecoder().decode(s);
      return b.length == 16 ? b : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A time in microseconds since the epoch, as nanoseconds. */
  private static long micros(QueryParams q, String name, long defaultNanos) throws JaegerError {
    String v = q.get(name, "");
    if (v.isEmpty()) {
      return defaultNanos;
    }
    try {
      return Math.multiplyExact(Long.parseLong(v), 1000L);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new JaegerError(400, "unable to parse param '" + name + "': strconv.ParseInt: parsing " + GoFormat.quote(v)
          + ": invalid syntax");
    }
  }

  private static long millisParam(QueryParams q, String name, long defaultMs) throws JaegerError {
    String v = q.get(name, "");
    if (v.isEmpty()) {
      return defaultMs;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new JaegerError(400, "unable to parse param '" + name + "': strconv.ParseInt: parsing " + GoFormat.quote(v)
          + ": invalid syntax");
    }
  }

  private static long duration(QueryParams q, String name) throws JaegerError {
    String v = q.get(name, "");
    if (v.isEmpty()) {
      return 0;
    }
    try {
      return GoDuration.parseNanos(v);
    } catch (IllegalArgumentException e) {
      throw new JaegerError(400, "unable to parse param '" + name + "': " + e.getMessage());
    }
  }

  private static void parseBool(QueryParams q, String name) throws JaegerError {
    String v = q.get(name, "");
    if (!v.isEmpty() && !Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False")
        .contains(v)) {
      throw new JaegerError(400, "unable to parse param '" + name + "': strconv.ParseBool: parsing " + GoFormat.quote(v)
          + ": invalid syntax");
    }
  }

  /** {@code tag=key:value} (repeatable) and {@code tags={"key":"value"}} (JSON), merged as Jaeger does. */
  private static Map<String, String> tags(QueryParams q) throws JaegerError {
    Map<String, String> out = new LinkedHashMap<>();
    for (String tag : q.getAll("tag")) {
      int colon = tag.indexOf(':');
      if (colon < 0) {
        throw new JaegerError(400, "malformed 'tag' parameter, expecting key:value, received: " + tag);
      }
      out.put(tag.substring(0, colon), tag.substring(colon + 1));
    }
    for (String json : q.getAll("tags")) {
      out.putAll(jsonTags(json));
    }
    return out;
  }

  /** A JSON object of strings, as Go's {@code json.Unmarshal} into {@code map[string]string} takes it. */
  private static Map<String, String> jsonTags(String json) throws JaegerError {
    Map<String, String> out = new LinkedHashMap<>();
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new JaegerError(400, "malformed 'tags' parameter, cannot unmarshal JSON: json: cannot unmarshal "
            + "non-object into Go value of type map[string]string");
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
          throw new JaegerError(400, "malformed 'tags' parameter, cannot unmarshal JSON: json: cannot unmarshal "
              + "non-string into Go value of type string");
        }
        out.put(key, p.getText());
      }
    } catch (IOException e) {
      throw new JaegerError(400, "malformed 'tags' parameter, cannot unmarshal JSON: " + e.getMessage());
    }
    return out;
  }

  /** A Jaeger error: its status code and message, written in the envelope's {@code errors}. */
  static final class JaegerError extends Exception {
    final int code;

    JaegerError(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  @FunctionalInterface
  private interface Endpoint {
    HttpResponse handle(ServiceRequestContext ctx, QueryParams q) throws IOException, JaegerError;
  }

  @FunctionalInterface
  private interface DataWriter {
    void write(JsonGenerator g) throws IOException;
  }

  private static void route(ServerBuilder sb, String path, Endpoint endpoint) {
    sb.service(path, (ctx, req) -> {
      if (req.method() != HttpMethod.GET) {
        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
      }
      return HttpResponse.of(req.aggregate().thenApplyAsync(body -> {
        try {
          return endpoint.handle(ctx, QueryParams.fromQueryString(ctx.query() == null ? "" : ctx.query()));
        } catch (JaegerError e) {
          return error(e.code, e.getMessage());
        } catch (IOException | RuntimeException e) {
          return error(500, e.getMessage() == null ? e.toString() : e.getMessage());
        }
      }, ctx.blockingTaskExecutor()));
    });
  }

  private static HttpResponse ok(DataWriter data, int total) {
    return ok(data, total, List.of());
  }

  private static HttpResponse ok(DataWriter data, int total, List<String[]> errors) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("data");
      data.write(g);
      g.writeNumberField("total", total);
      g.writeNumberField("limit", 0);
      g.writeNumberField("offset", 0);
      if (errors.isEmpty()) {
        g.writeNullField("errors");
      } else {
        g.writeArrayFieldStart("errors");
        for (String[] e : errors) {
          g.writeStartObject();
          g.writeStringField("msg", e[0]);
          g.writeStringField("traceID", e[1]);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON),
        HttpData.wrap(out.toByteArray()));
  }

  /**
   * Jaeger writes its errors with Go's {@code http.Error}: the envelope as text, a newline, {@code text/plain}.
   */
  static HttpResponse error(int code, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNullField("data");
      g.writeNumberField("total", 0);
      g.writeNumberField("limit", 0);
      g.writeNumberField("offset", 0);
      g.writeArrayFieldStart("errors");
      g.writeStartObject();
      g.writeNumberField("code", code);
      g.writeStringField("msg", message);
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
    out.write('\n');
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.valueOf(code))
        .contentType(MediaType.PLAIN_TEXT_UTF_8).add("x-content-type-options", "nosniff").build(),
        HttpData.wrap(out.toByteArray()));
  }
}

package io.sightline.api.tempo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.traceql.engine.Search;
import io.sightline.traceql.engine.ServiceStats;
import io.sightline.traceql.engine.SpanResult;
import io.sightline.traceql.engine.SpanSetResult;
import io.sightline.traceql.engine.TraceResult;
import io.sightline.traceql.syntax.TraceQLException;
import io.sightline.tracestore.FetchRequest;
import io.sightline.tracestore.TraceStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code GET /api/search}: a TraceQL search ({@code q}) or Tempo's legacy tag search ({@code tags},
 * {@code minDuration}, {@code maxDuration}), with Tempo's parameters, defaults, messages and response shape.
 */
final class TempoSearch {
  /** Tempo's {@code defaultLimit}. */
  static final int DEFAULT_LIMIT = 20;
  /** Tempo's {@code defaultSpansPerSpanSet}. */
  static final int DEFAULT_SPSS = 3;
  /** Tempo's frontend default {@code max_spans_per_span_set}. */
  static final int MAX_SPSS = 100;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** Parameters Tempo never reads as the old one-parameter-per-tag form. */
  private static final Set<String> RESERVED = Set.of("q", "tags", "minDuration", "maxDuration", "limit", "spss",
      "start", "end");

  private final Supplier<TraceStore> store;
  private final TempoApi.Limits limits;

  TempoSearch(Supplier<TraceStore> store, TempoApi.Limits limits) {
    this.store = store;
    this.limits = limits;
  }

  /** Tempo's {@code SearchRequest} after {@code ParseSearchRequest}. */
  record Request(String query, Map<String, String> tags, long start, long end, long minDurationMs,
      long maxDurationMs, int limit, long spss) {}

  /** Tempo's {@code ParseSearchRequestWithDefault}, message for message. */
  static Request parse(TempoParams p, Iterable<String> names) throws TempoApi.TempoError {
    long start = 0;
    long end = 0;
    if (p.get("start") != null) {
      start = TempoParams.parseUint(p.get("start"), 32, "invalid start: ");
    }
    if (p.get("end") != null) {
      end = TempoParams.parseUint(p.get("end"), 32, "invalid end: ");
    }
    String query = p.get("q");
    Map<String, String> tags = new TreeMap<>();
    String encoded = p.get("tags");
    if (encoded != null) {
      if (query != null) {
        throw new TempoApi.TempoError("invalid request: can't specify tags and q in the same query");
      }
      tags.putAll(Logfmt.decode(encoded));
    }
    if (query == null && encoded == null && start == 0 && end == 0) {
      // Grafana's first Tempo search sent each tag as its own parameter; Tempo still reads that form.
      for (String name : names) {
        if (!RESERVED.contains(name) && p.get(name) != null) {
          tags.put(name, p.get(name));
        }
      }
    }
    long minMs = 0;
    long maxMs = 0;
    if (p.get("minDuration") != null) {
      minMs = uint32(TempoParams.goDuration(p.get("minDuration"), "invalid minDuration: ") / NANOS_PER_MILLI);
    }
    if (p.get("maxDuration") != null) {
      maxMs = uint32(TempoParams.goDuration(p.get("maxDuration"), "invalid maxDuration: ") / NANOS_PER_MILLI);
      if (minMs != 0 && minMs > maxMs) {
        throw new TempoApi.TempoError("invalid maxDuration: must be greater than minDuration");
      }
    }
    int limit = DEFAULT_LIMIT;
    if (p.get("limit") != null) {
      long l = TempoParams.parseUint(p.get("limit"), 32, "invalid limit: ");
      if (l == 0) {
        throw new TempoApi.TempoError("invalid limit: must be a positive number");
      }
      limit = (int) Math.min(l, Integer.MAX_VALUE);
    }
    long spss = DEFAULT_SPSS;
    if (p.get("spss") != null) {
      spss = TempoParams.parseUint(p.get("spss"), 32, "invalid spss: ");
    }
    if ((start != 0 || end != 0) && end <= start) {
      throw new TempoApi.TempoError("http parameter start must be before end. received start=" + start
          + " end=" + end);
    }
    return new Request(query, tags, start, end, minMs, maxMs, limit, spss);
  }

  /** Go's {@code uint32(...)} conversion of a millisecond count. */
  private static long uint32(long v) {
    return v & 0xFFFF_FFFFL;
  }

  HttpResponse search(TempoParams p, Iterable<String> names) throws IOException, TempoApi.TempoError {
    Request r = parse(p, names);
    long startNanos = r.start() == 0 ? 0 : r.start() * NANOS_PER_SECOND;
    long endNanos = r.end() == 0 ? Long.MAX_VALUE : r.end() * NANOS_PER_SECOND;
    List<TraceResult> found = new ArrayList<>();
    TraceScan scan;
    boolean legacy = r.query() == null;
    if (!legacy) {
      Search search;
      try {
        search = Search.compile(r.query());
      } catch (TraceQLException e) {
        throw new TempoApi.TempoError("invalid TraceQL query: " + e.getMessage());
      }
      if (r.spss() > MAX_SPSS) {
        throw new TempoApi.TempoError("spans per span set exceeds " + MAX_SPSS + ". received " + r.spss());
      }
      // Tempo reads spss=0 as no limit on the spans of a spanset.
      int spss = r.spss() == 0 ? Integer.MAX_VALUE : (int) r.spss();
      FetchRequest fetch = Pushdown.request(startNanos, endNanos, search.conditions(), limits.maxTraces());
      scan = TraceScan.run(store.get(), fetch, limits, trace -> {
        search.evaluate(trace, spss).ifPresent(found::add);
        return found.size() < r.limit();
      });
    } else {
      LegacyTags tags = new LegacyTags(r.tags(), r.minDurationMs() * NANOS_PER_MILLI,
          r.maxDurationMs() * NANOS_PER_MILLI);
      FetchRequest fetch = new FetchRequest(startNanos, endNanos, tags.pushdown(),
          r.minDurationMs() * NANOS_PER_MILLI, r.maxDurationMs() * NANOS_PER_MILLI, limits.maxTraces());
      Search all = compileAll();
      scan = TraceScan.run(store.get(), fetch, limits, trace -> {
        if (tags.matches(trace)) {
          all.evaluate(trace, 1).ifPresent(found::add);
        }
        return found.size() < r.limit();
      });
    }
    found.sort(Comparator.comparingLong(TraceResult::startTimeUnixNano).reversed());
    List<TraceResult> traces = found.size() > r.limit() ? found.subList(0, r.limit()) : found;
    return TempoJson.ok(g -> {
      g.writeArrayFieldStart("traces");
      for (TraceResult t : traces) {
        trace(g, t, legacy);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("metrics");
      searchMetrics(g, scan);
      g.writeEndObject();
    });
  }

  private static Search compileAll() {
    try {
      return Search.compile("{}");
    } catch (TraceQLException e) {
      throw new IllegalStateException("{} is valid TraceQL", e);
    }
  }

  /** Tempo's {@code SearchMetrics}: one job that read what the scan read. */
  static void searchMetrics(JsonGenerator g, TraceScan scan) throws IOException {
    TempoJson.uint32(g, "inspectedTraces", scan.inspectedTraces);
    TempoJson.uint64(g, "inspectedBytes", scan.inspectedBytes);
    TempoJson.uint32(g, "completedJobs", 1);
    TempoJson.uint32(g, "totalJobs", 1);
  }

  /** Tempo's {@code TraceSearchMetadata}; a legacy tag search fills only the trace-level fields. */
  private static void trace(JsonGenerator g, TraceResult t, boolean legacy) throws IOException {
    g.writeStartObject();
    TempoJson.string(g, "traceID", t.traceId());
    TempoJson.string(g, "rootServiceName", t.rootServiceName());
    TempoJson.string(g, "rootTraceName", t.rootTraceName());
    TempoJson.uint64(g, "startTimeUnixNano", t.startTimeUnixNano());
    TempoJson.uint32(g, "durationMs", t.durationMs());
    if (!legacy) {
      if (t.spanSet() != null) {
        g.writeFieldName("spanSet");
        spanSet(g, t.spanSet());
      }
      if (!t.spanSets().isEmpty()) {
        g.writeArrayFieldStart("spanSets");
        for (SpanSetResult s : t.spanSets()) {
          spanSet(g, s);
        }
        g.writeEndArray();
      }
      if (!t.serviceStats().isEmpty()) {
        g.writeObjectFieldStart("serviceStats");
        for (Map.Entry<String, ServiceStats> e : new TreeMap<>(t.serviceStats()).entrySet()) {
          g.writeObjectFieldStart(e.getKey());
          TempoJson.uint32(g, "spanCount", e.getValue().spanCount());
          TempoJson.uint32(g, "errorCount", e.getValue().errorCount());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
    }
    g.writeEndObject();
  }

  private static void spanSet(JsonGenerator g, SpanSetResult s) throws IOException {
    g.writeStartObject();
    if (!s.spans().isEmpty()) {
      g.writeArrayFieldStart("spans");
      for (SpanResult span : s.spans()) {
        g.writeStartObject();
        TempoJson.string(g, "spanID", span.spanId());
        TempoJson.string(g, "name", span.name());
        TempoJson.uint64(g, "startTimeUnixNano", span.startTimeUnixNano());
        TempoJson.uint64(g, "durationNanos", span.durationNanos());
        TempoJson.keyValues(g, "attributes", span.attributes());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    TempoJson.uint32(g, "matched", s.matched());
    TempoJson.keyValues(g, "attributes", s.attributes());
    g.writeEndObject();
  }

  /**
   * Tempo's legacy tag search (vParquet's {@code makePipelineWithRowGroups}): well-known names match a substring of
   * their column (case-sensitive), {@code status.code} and a numeric {@code http.status_code} match exactly, any
   * other tag matches a string attribute exactly, all of those within one resource (its attributes or its spans').
   */
  static final class LegacyTags {
    private static final Set<String> RESOURCE_SUBSTRING = Set.of("service.name", "cluster", "namespace", "pod",
        "container", "k8s.cluster.name", "k8s.namespace.name", "k8s.pod.name", "k8s.container.name");
    private static final Set<String> SPAN_SUBSTRING = Set.of("http.method", "http.url");
    private static final Map<String, Integer> STATUS_CODES = Map.of("unset", 0, "ok", 1, "error", 2);

    private final Map<String, String> special = new TreeMap<>();
    private final Map<String, String> generic = new TreeMap<>();
    private final long minNanos;
    private final long maxNanos;

    LegacyTags(Map<String, String> tags, long minNanos, long maxNanos) {
      this.minNanos = minNanos;
      this.maxNanos = maxNanos;
      tags.forEach((k, v) -> {
        boolean numericStatus = k.equals("http.status_code") && v.matches("[-+]?\\d+");
        if (RESOURCE_SUBSTRING.contains(k) || SPAN_SUBSTRING.contains(k) || numericStatus
            || k.equals("name") || k.equals("status.code") || k.equals("root.name")
            || k.equals("root.service.name")) {
          special.put(k, v);
        } else {
          generic.put(k, v);
        }
      });
    }

    /** The exact matches the store may skip on. */
    List<io.sightline.tracestore.Condition> pushdown() {
      List<io.sightline.tracestore.Condition> out = new ArrayList<>();
      generic.forEach((k, v) -> {
        if (out.size() < Long.SIZE) {
          out.add(io.sightline.tracestore.Condition.attribute(null, k, v));
        }
      });
      return out;
    }

    boolean matches(TracesData trace) {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      Span root = null;
      Resource rootResource = null;
      for (ResourceSpans rs : trace.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            first = Math.min(first, s.getStartTimeUnixNano());
            last = Math.max(last, s.getEndTimeUnixNano());
            if (s.getParentSpanId().isEmpty()) {
              root = s;
              rootResource = rs.getResource();
            }
          }
        }
      }
      if (first == Long.MAX_VALUE) {
        return false;
      }
      long duration = last - first;
      if (minNanos > 0 && duration < minNanos || maxNanos > 0 && duration > maxNanos) {
        return false;
      }
      for (Map.Entry<String, String> e : special.entrySet()) {
        if (!special(trace, e.getKey(), e.getValue(), root, rootResource)) {
          return false;
        }
      }
      if (generic.isEmpty()) {
        return true;
      }
      for (ResourceSpans rs : trace.getResourceSpansList()) {
        if (generic.entrySet().stream().allMatch(e -> inResource(rs, e.getKey(), e.getValue()))) {
          return true;
        }
      }
      return false;
    }

    private static boolean special(TracesData trace, String key, String value, Span root, Resource rootResource) {
      switch (key) {
        case "root.name" -> {
          return (root == null ? "" : root.getName()).contains(value);
        }
        case "root.service.name" -> {
          return (rootResource == null ? "" : string(rootResource.getAttributesList(), "service.name"))
              .contains(value);
        }
        default -> { }
      }
      for (ResourceSpans rs : trace.getResourceSpansList()) {
        if (RESOURCE_SUBSTRING.contains(key)) {
          if (string(rs.getResource().getAttributesList(), key).contains(value)
              && hasString(rs.getResource().getAttributesList(), key)) {
            return true;
          }
          continue;
        }
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            boolean hit = switch (key) {
              case "name" -> s.getName().contains(value);
              case "status.code" -> s.getStatus().getCodeValue() == STATUS_CODES.getOrDefault(value, 0);
              case "http.status_code" -> s.getAttributesList().stream().anyMatch(kv -> kv.getKey().equals(key)
                  && kv.getValue().getValueCase() == AnyValue.ValueCase.INT_VALUE
                  && kv.getValue().getIntValue() == Long.parseLong(value.replace("+", "")));
              default -> hasString(s.getAttributesList(), key)
                  && string(s.getAttributesList(), key).contains(value);
            };
            if (hit) {
              return true;
            }
          }
        }
      }
      return false;
    }

    private static boolean inResource(ResourceSpans rs, String key, String value) {
      if (value.equals(stringOrNull(rs.getResource().getAttributesList(), key))) {
        return true;
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          if (value.equals(stringOrNull(s.getAttributesList(), key))) {
            return true;
          }
        }
      }
      return false;
    }

    private static boolean hasString(List<KeyValue> kvs, String key) {
      return stringOrNull(kvs, key) != null;
    }

    private static String string(List<KeyValue> kvs, String key) {
      String v = stringOrNull(kvs, key);
      return v == null ? "" : v;
    }

    private static String stringOrNull(List<KeyValue> kvs, String key) {
      for (KeyValue kv : kvs) {
        if (kv.getKey().equals(key) && kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
          return kv.getValue().getStringValue();
        }
      }
      return null;
    }
  }
}

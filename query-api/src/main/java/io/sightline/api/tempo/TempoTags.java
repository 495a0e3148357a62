package io.sightline.api.tempo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.api.otlp.AnyValues;
import io.sightline.traceql.engine.MatchedSpan;
import io.sightline.traceql.engine.Matcher;
import io.sightline.traceql.engine.Search;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.ParseException;
import io.sightline.traceql.syntax.Parser;
import io.sightline.traceql.syntax.Printer;
import io.sightline.traceql.syntax.Query;
import io.sightline.traceql.syntax.SpansetFilter;
import io.sightline.traceql.syntax.SpansetQuery;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.TraceQLException;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.TraceStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Tempo's autocomplete: tag names ({@code /api/search/tags}, {@code /api/v2/search/tags}) and tag values
 * ({@code /api/search/tag/<tag>/values}, {@code /api/v2/search/tag/<scoped tag>/values}). Attribute names and values
 * come from the store's index; intrinsic values and anything filtered by {@code q} from reading traces within the
 * API's budget.
 */
final class TempoTags {
  /** Tempo's {@code GetVirtualIntrinsicValues}: the intrinsics autocomplete offers, in Tempo's order. */
  static final List<String> INTRINSICS = List.of("duration", "name", "status", "statusMessage", "kind",
      "rootServiceName", "rootName", "traceDuration", "event:name", "event:timeSinceStart", "link:spanID",
      "link:traceID", "instrumentation:name", "instrumentation:version", "trace:id", "span:id", "span:parentID",
      "span:status", "span:statusMessage", "span:duration", "span:name", "span:kind", "trace:rootName",
      "trace:rootService", "trace:duration");
  private static final String INTRINSIC_SCOPE = "intrinsic";
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Map<String, AttributeScope> SCOPES = new LinkedHashMap<>();

  static {
    SCOPES.put("resource", AttributeScope.RESOURCE);
    SCOPES.put("span", AttributeScope.SPAN);
    SCOPES.put("event", AttributeScope.EVENT);
    SCOPES.put("link", AttributeScope.LINK);
    SCOPES.put("instrumentation", AttributeScope.INSTRUMENTATION);
  }

  private final Supplier<TraceStore> store;
  private final TempoApi.Limits limits;

  TempoTags(Supplier<TraceStore> store, TempoApi.Limits limits) {
    this.store = store;
    this.limits = limits;
  }

  /** Tempo's {@code ParseSearchTagsRequest} scope check: a TraceQL scope, {@code none}, {@code intrinsic} or none. */
  private static String scope(TempoParams p) throws TempoApi.TempoError {
    String scope = p.get("scope");
    if (scope == null || scope.equals("none")) {
      return "";
    }
    if (!SCOPES.containsKey(scope) && !scope.equals(INTRINSIC_SCOPE)) {
      throw new TempoApi.TempoError("invalid scope: " + scope);
    }
    return scope;
  }

  private static long[] window(TempoParams p) throws TempoApi.TempoError {
    long start = p.get("start") == null ? 0 : TempoParams.parseInt(p.get("start"), 32, "invalid start: ");
    long end = p.get("end") == null ? 0 : TempoParams.parseInt(p.get("end"), 32, "invalid end: ");
    return new long[] {start <= 0 ? 0 : start * NANOS_PER_SECOND, end <= 0 ? Long.MAX_VALUE : end * NANOS_PER_SECOND};
  }

  /** Tempo's frontend reads {@code limit} leniently: anything that is not a number means no limit. */
  private static int limit(TempoParams p) {
    try {
      long l = p.get("limit") == null ? 0 : Long.parseLong(p.get("limit"));
      return l <= 0 ? Integer.MAX_VALUE : (int) Math.min(l, Integer.MAX_VALUE);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  HttpResponse tags(TempoParams p, boolean v2) throws IOException, TempoApi.TempoError {
    String scope = scope(p);
    long[] w = window(p);
    int limit = limit(p);
    String q = v2 ? p.get("q") : null;
    Map<String, TreeSet<String>> byScope = new LinkedHashMap<>();
    long[] bytes = {0};
    if (!scope.equals(INTRINSIC_SCOPE)) {
      Matcher filter = q == null ? null : filter(q);
      if (filter == null) {
        Map<AttributeScope, List<String>> names = store.get().tagNames(w[0], w[1], limit);
        SCOPES.forEach((name, s) -> {
          if (scope.isEmpty() || scope.equals(name)) {
            byScope.computeIfAbsent(name, k -> new TreeSet<>()).addAll(names.getOrDefault(s, List.of()));
          }
        });
      } else {
        TraceScan scan = TraceScan.run(store.get(), Pushdown.request(w[0], w[1], List.of(), limits.maxTraces()),
            limits, trace -> {
              for (MatchedSpan s : filter.match(trace)) {
                collectNames(s, scope, byScope, limit);
              }
              return true;
            });
        bytes[0] = scan.inspectedBytes;
      }
    }
    byScope.values().removeIf(TreeSet::isEmpty);
    boolean intrinsics = v2 ? scope.isEmpty() || scope.equals(INTRINSIC_SCOPE) : scope.equals(INTRINSIC_SCOPE);
    return TempoJson.ok(g -> {
      if (v2) {
        g.writeArrayFieldStart("scopes");
        for (Map.Entry<String, TreeSet<String>> e : byScope.entrySet()) {
          scopeObject(g, e.getKey(), e.getValue());
        }
        if (intrinsics) {
          scopeObject(g, INTRINSIC_SCOPE, new TreeSet<>(INTRINSICS));
        }
        g.writeEndArray();
      } else {
        TreeSet<String> all = new TreeSet<>();
        byScope.values().forEach(all::addAll);
        if (intrinsics) {
          all.addAll(INTRINSICS);
        }
        g.writeArrayFieldStart("tagNames");
        for (String t : all) {
          g.writeString(t);
        }
        g.writeEndArray();
      }
      metadataMetrics(g, bytes[0]);
    });
  }

  private static void scopeObject(JsonGenerator g, String name, TreeSet<String> tags) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", name);
    g.writeArrayFieldStart("tags");
    for (String t : tags) {
      g.writeString(t);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void collectNames(MatchedSpan s, String scope, Map<String, TreeSet<String>> out, int limit) {
    Span span = s.span();
    add(out, "span", scope, span.getAttributesList(), limit);
    add(out, "resource", scope, s.resource().getAttributesList(), limit);
    add(out, "instrumentation", scope, s.instrumentationScope().getAttributesList(), limit);
    for (Span.Event ev : span.getEventsList()) {
      add(out, "event", scope, ev.getAttributesList(), limit);
    }
    for (Span.Link link : span.getLinksList()) {
      add(out, "link", scope, link.getAttributesList(), limit);
    }
  }

  private static void add(Map<String, TreeSet<String>> out, String name, String scope, List<KeyValue> kvs,
      int limit) {
    if (!scope.isEmpty() && !scope.equals(name)) {
      return;
    }
    TreeSet<String> set = out.computeIfAbsent(name, k -> new TreeSet<>());
    for (KeyValue kv : kvs) {
      if (set.size() >= limit) {
        return;
      }
      set.add(kv.getKey());
    }
  }

  /** Tempo's {@code MetadataMetrics}: one job, and the bytes read when traces had to be read. */
  private static void metadataMetrics(JsonGenerator g, long inspectedBytes) throws IOException {
    g.writeObjectFieldStart("metrics");
    TempoJson.uint64(g, "inspectedBytes", inspectedBytes);
    TempoJson.uint32(g, "totalJobs", 1);
    TempoJson.uint32(g, "completedJobs", 1);
    g.writeEndObject();
  }

  /** A {@code q} filter as spans to read from; null for none or for {@code {}}, which filters nothing. */
  private static Matcher filter(String q) throws TempoApi.TempoError {
    try {
      Search s = Search.compile(q);
      if (s.query().root() instanceof SpansetQuery sq) {
        if (sq.element() instanceof SpansetFilter f && f.expr() instanceof Static st && Static.TRUE.equals(st)) {
          return null;
        }
        return Matcher.of(sq.element());
      }
      return null;
    } catch (TraceQLException e) {
      throw new TempoApi.TempoError(e.getMessage());
    }
  }

  /** Tempo's {@code GetVirtualTagValues} for the v1 endpoint. */
  private static List<String> virtualV1(String tag) {
    return switch (tag) {
      case "status.code" -> List.of("unset", "ok", "error");
      case "error" -> List.of("true");
      default -> List.of();
    };
  }

  HttpResponse tagValues(String tag, TempoParams p) throws IOException, TempoApi.TempoError {
    if (tag.isEmpty()) {
      throw new TempoApi.TempoError("please provide a non-empty tagName");
    }
    long[] w = window(p);
    int limit = limit(p);
    TreeSet<String> values = new TreeSet<>(virtualV1(tag));
    for (AnyValue v : store.get().tagValues(null, tag, w[0], w[1], limit)) {
      if (values.size() >= limit) {
        break;
      }
      values.add(AnyValues.asString(v));
    }
    return TempoJson.ok(g -> {
      g.writeArrayFieldStart("tagValues");
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
      metadataMetrics(g, 0);
    });
  }

  /** A typed value of the v2 endpoint. */
  record TagValue(String type, String value) {}

  /** Tempo's {@code GetVirtualTagValuesV2}: enums answer from the language, durations with nothing. */
  private static List<TagValue> virtualV2(Attribute a) {
    if (a.intrinsic() == null) {
      return null;
    }
    return switch (a.intrinsic()) {
      case STATUS -> List.of(new TagValue("keyword", "ok"), new TagValue("keyword", "error"),
          new TagValue("keyword", "unset"));
      case KIND -> List.of(new TagValue("keyword", "client"), new TagValue("keyword", "server"),
          new TagValue("keyword", "producer"), new TagValue("keyword", "consumer"),
          new TagValue("keyword", "internal"), new TagValue("keyword", "unspecified"));
      case DURATION, TRACE_DURATION -> List.of();
      default -> null;
    };
  }

  /** Tempo's {@code ParseIdentifier}: the tag must read as one attribute, as inside {@code { }}. */
  static Attribute identifier(String tag) throws TempoApi.TempoError {
    String prefix = "please provide a valid tagName: failed to parse identifier " + tag + ": ";
    Query q;
    try {
      q = Parser.parse("{" + tag + "}");
    } catch (ParseException e) {
      throw new TempoApi.TempoError(prefix + e.getMessage());
    }
    if (q.root() instanceof SpansetQuery sq && sq.element() instanceof SpansetFilter f
        && f.expr() instanceof Attribute a) {
      return a;
    }
    throw new TempoApi.TempoError(prefix + "expected Attribute");
  }

  HttpResponse tagValuesV2(String tag, TempoParams p) throws IOException, TempoApi.TempoError {
    Attribute a = identifier(tag);
    long[] w = window(p);
    int limit = limit(p);
    List<TagValue> virtual = virtualV2(a);
    List<TagValue> out = new ArrayList<>();
    long[] bytes = {0};
    if (virtual != null) {
      out.addAll(virtual);
    } else {
      String q = p.get("q");
      Matcher filter = q == null ? null : filter(q);
      java.util.Set<TagValue> seen = new java.util.LinkedHashSet<>();
      if (filter == null && a.intrinsic() == null) {
        for (AnyValue v : store.get().tagValues(scope(a), a.name(), w[0], w[1], limit)) {
          typed(v, seen, limit);
        }
      } else {
        Matcher spans = filter != null ? filter : everything();
        TraceScan scan = TraceScan.run(store.get(), Pushdown.request(w[0], w[1], List.of(), limits.maxTraces()),
            limits, trace -> {
              for (MatchedSpan s : spans.match(trace)) {
                typed(s.read(a), seen, limit);
              }
              return seen.size() < limit;
            });
        bytes[0] = scan.inspectedBytes;
      }
      out.addAll(seen);
      out.sort(java.util.Comparator.comparing(TagValue::value).thenComparing(TagValue::type));
    }
    return TempoJson.ok(g -> {
      if (!out.isEmpty()) {
        g.writeArrayFieldStart("tagValues");
        for (TagValue v : out) {
          g.writeStartObject();
          g.writeStringField("type", v.type());
          g.writeStringField("value", v.value());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      metadataMetrics(g, bytes[0]);
    });
  }

  private static AttributeScope scope(Attribute a) {
    return switch (a.scope()) {
      case NONE -> null;
      case SPAN -> AttributeScope.SPAN;
      case RESOURCE -> AttributeScope.RESOURCE;
      case EVENT -> AttributeScope.EVENT;
      case LINK -> AttributeScope.LINK;
      case INSTRUMENTATION -> AttributeScope.INSTRUMENTATION;
    };
  }

  private static Matcher everything() {
    try {
      return Matcher.of(((SpansetQuery) Parser.parse("{}").root()).element());
    } catch (ParseException e) {
      throw new IllegalStateException("{} is valid TraceQL", e);
    }
  }

  /** Tempo's {@code MakeCollectTagValueFunc}: the type names of the v2 values; arrays give their elements. */
  private static void typed(AnyValue v, java.util.Set<TagValue> out, int limit) {
    if (out.size() >= limit) {
      return;
    }
    switch (v.getValueCase()) {
      case STRING_VALUE -> out.add(new TagValue("string", v.getStringValue()));
      case INT_VALUE -> out.add(new TagValue("int", Long.toString(v.getIntValue())));
      case DOUBLE_VALUE -> out.add(new TagValue("float", TempoJson.goFloat(v.getDoubleValue())));
      case BOOL_VALUE -> out.add(new TagValue("bool", Boolean.toString(v.getBoolValue())));
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().forEach(e -> typed(e, out, limit));
      default -> { }
    }
  }

  private static void typed(Static v, java.util.Set<TagValue> out, int limit) {
    if (out.size() >= limit) {
      return;
    }
    switch (v.type()) {
      case STRING -> out.add(new TagValue("string", v.asString()));
      case INT -> out.add(new TagValue("int", Long.toString(v.asLong())));
      case FLOAT -> out.add(new TagValue("float", TempoJson.goFloat(v.asDouble())));
      case BOOLEAN -> out.add(new TagValue("bool", Boolean.toString(v.asBool())));
      case DURATION -> out.add(new TagValue("duration", Printer.print(v)));
      case STATUS -> out.add(new TagValue("keyword", Printer.print(v)));
      case INT_ARRAY, FLOAT_ARRAY, STRING_ARRAY, BOOLEAN_ARRAY -> v.elements().forEach(e -> typed(e, out, limit));
      default -> { }
    }
  }
}

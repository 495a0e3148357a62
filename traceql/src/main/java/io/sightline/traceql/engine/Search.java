package io.sightline.traceql.engine;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.Intrinsic;
import io.sightline.traceql.syntax.Parser;
import io.sightline.traceql.syntax.Query;
import io.sightline.traceql.syntax.SpansetQuery;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.TraceQLException;
import io.sightline.traceql.syntax.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled TraceQL search, Tempo's {@code Engine.ExecuteSearch} over traces handed in whole. Immutable and safe to
 * share between threads.
 */
public final class Search {
  /** Fields a search result carries in dedicated places, so Tempo never repeats them among span attributes. */
  private static final Set<Intrinsic> NOT_RETURNED = EnumSet.of(Intrinsic.NAME, Intrinsic.DURATION,
      Intrinsic.TRACE_DURATION, Intrinsic.TRACE_ROOT_SERVICE, Intrinsic.TRACE_ROOT_NAME, Intrinsic.TRACE_ID,
      Intrinsic.SPAN_ID);

  private final Query query;
  private final SpansetQuery root;
  private final List<Condition> conditions;
  private final List<Attribute> returned;

  private Search(Query query, SpansetQuery root) {
    this.query = query;
    this.root = root;
    this.conditions = Conditions.of(root);
    List<Attribute> referenced = Conditions.referenced(root);
    this.returned = referenced.stream()
        .filter(a -> a.intrinsic() == null || !NOT_RETURNED.contains(a.intrinsic())).toList();
  }

  /**
   * Parses and validates a search query.
   *
   * @throws TraceQLException with Tempo's message, for a query Tempo answers with 400; metrics queries and
   *     arithmetic between them are refused as Tempo's search refuses them ({@code math expressions not supported}
   *     for the latter, a validation error for the former)
   */
  public static Search compile(String traceql) throws TraceQLException {
    Query q = Validator.parseValid(traceql);
    if (!(q.root() instanceof SpansetQuery s)) {
      throw Validator.notSearchable(q);
    }
    return new Search(q, s);
  }

  public Query query() {
    return query;
  }

  /** What a store may filter on before handing traces over; see {@link Condition}. */
  public List<Condition> conditions() {
    return conditions;
  }

  /** The {@code most_recent=true} hint: the caller should prefer the newest traces rather than the first found. */
  public boolean mostRecent() {
    return query.hint("most_recent").map(v -> Boolean.TRUE.equals(v.value())).orElse(false);
  }

  /** Evaluates one trace; empty when it does not match. */
  public Optional<TraceResult> evaluate(TracesData trace, int spss) {
    TraceView view = new TraceView(trace);
    if (view.spans.isEmpty()) {
      return Optional.empty();
    }
    List<Spanset> result = Evaluator.evaluate(root.element(),
        List.of(new Spanset(new ArrayList<>(view.spans), new ArrayList<>())));
    if (result.isEmpty()) {
      return Optional.empty();
    }
    int perSet = spss <= 0 ? SearchRequest.DEFAULT_SPANS_PER_SPANSET : spss;
    List<SpanSetResult> sets = new ArrayList<>();
    for (Spanset ss : result) {
      List<SpanResult> spans = new ArrayList<>();
      for (SpanView s : ss.spans.subList(0, Math.min(perSet, ss.spans.size()))) {
        spans.add(span(s));
      }
      List<KeyValue> attrs = new ArrayList<>();
      for (Map.Entry<String, Static> a : ss.attributes) {
        attrs.add(KeyValue.newBuilder().setKey(a.getKey()).setValue(Values.toAnyValue(a.getValue())).build());
      }
      sets.add(new SpanSetResult(spans, ss.spans.size(), attrs));
    }
    Map<String, ServiceStats> stats = new LinkedHashMap<>();
    view.serviceStats.forEach((k, v) -> stats.put(k, new ServiceStats(v[0], v[1])));
    String rootService = view.root == null ? TraceView.ROOT_NOT_RECEIVED : view.rootServiceName();
    return Optional.of(new TraceResult(view.traceId, rootService, view.rootSpanName(), view.start,
        (view.end - view.start) / 1_000_000, sets, stats));
  }

  /**
   * Searches traces in the order given. Without {@code most_recent} the first {@code limit} matches are kept, as
   * Tempo keeps the first found; with it, the {@code limit} most recent. Either way sorted by start, newest first.
   */
  public SearchResponse search(Iterable<TracesData> traces, SearchRequest request) {
    boolean recent = mostRecent();
    List<TraceResult> found = new ArrayList<>();
    long inspected = 0;
    for (TracesData t : traces) {
      if (!recent && request.limit() > 0 && found.size() >= request.limit()) {
        break;
      }
      if (!overlaps(t, request)) {
        continue;
      }
      inspected++;
      evaluate(t, request.spansPerSpanset()).ifPresent(found::add);
    }
    found.sort(Comparator.comparingLong(TraceResult::startTimeUnixNano).reversed());
    if (request.limit() > 0 && found.size() > request.limit()) {
      found = found.subList(0, request.limit());
    }
    return new SearchResponse(found, inspected);
  }

  private static boolean overlaps(TracesData t, SearchRequest r) {
    if (r.startUnixNanos() <= 0 && r.endUnixNanos() <= 0) {
      return true;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (var rs : t.getResourceSpansList()) {
      for (var ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          min = Math.min(min, s.getStartTimeUnixNano());
          max = Math.max(max, s.getEndTimeUnixNano());
        }
      }
    }
    return (r.endUnixNanos() <= 0 || min <= r.endUnixNanos()) && (r.startUnixNanos() <= 0 || max >= r.startUnixNanos());
  }

  private SpanResult span(SpanView s) {
    List<KeyValue> attrs = new ArrayList<>();
    for (Attribute a : returned) {
      Static v = returnedValue(a, s);
      if (!v.isNil()) {
        attrs.add(KeyValue.newBuilder().setKey(a.name()).setValue(Values.toAnyValue(v)).build());
      }
    }
    return new SpanResult(Hex.spanId(s.span.getSpanId()), s.span.getName(), s.span.getStartTimeUnixNano(),
        s.durationNanos(), attrs);
  }

  /** Event and link fields come from the first event or link that has them. */
  private static Static returnedValue(Attribute a, SpanView s) {
    return new MatchedSpan(s).read(a);
  }

}

package io.sightline.tracestore.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the parts of one trace (from the head and from any number of blocks) into one {@code TracesData} in the
 * canonical order:
 *
 * <pre>
 *   spans sorted by (start time, span id)          s1(A,x) s2(B,y) s3(A,x) s4(A,z)
 *   resources in the order of their first span     ResourceSpans A ── ScopeSpans x: s1 s3
 *   scopes likewise, within their resource                         └─ ScopeSpans z: s4
 *                                                  ResourceSpans B ── ScopeSpans y: s2
 * </pre>
 *
 * Exact duplicates (same resource, scope and span, as a retried export or a read racing a block cut gives) are kept
 * once. Not thread-safe; one per trace.
 */
public final class TraceAssembler {
  /** The order of spans in a trace, in a block and in every answer. */
  public static final Comparator<Span> SPAN_ORDER = Comparator.comparingLong(Span::getStartTimeUnixNano)
      .thenComparing(Span::getSpanId, ByteString.unsignedLexicographicalComparator());

  private final List<SpanRef> spans = new ArrayList<>();

  public void add(SpanRef ref) {
    spans.add(ref);
  }

  public void addAll(List<SpanRef> refs) {
    spans.addAll(refs);
  }

  public boolean isEmpty() {
    return spans.isEmpty();
  }

  /** The spans, de-duplicated and in canonical order. */
  public List<SpanRef> spans() {
    List<SpanRef> out = spans;
    if (out.size() > 1) {
      HashSet<SpanRef> seen = new HashSet<>(out.size() * 2);
      out = new ArrayList<>(out.size());
      for (SpanRef r : spans) {
        if (seen.add(r)) {
          out.add(r);
        }
      }
      out.sort(Comparator.comparing(SpanRef::span, SPAN_ORDER));
    }
    return out;
  }

  public TracesData build() {
    Map<ResourceSpans, Map<ScopeSpans, ScopeSpans.Builder>> groups = new LinkedHashMap<>();
    for (SpanRef r : spans()) {
      groups.computeIfAbsent(r.group().resource(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.group().scope(), ScopeSpans::toBuilder)
          .addSpans(r.span());
    }
    TracesData.Builder data = TracesData.newBuilder();
    groups.forEach((resource, scopes) -> {
      ResourceSpans.Builder rs = resource.toBuilder();
      scopes.values().forEach(rs::addScopeSpans);
      data.addResourceSpans(rs);
    });
    return data.build();
  }
}

package io.sightline.tracestore.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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

  /**
   * The spans, de-duplicated and in canonical order. Head spans stay encoded: their order needs only the start and
   * the span id, and the block writer decodes them straight into its columns.
   */
  public List<SpanRef> spans() {
    if (spans.size() <= 1) {
      return spans;
    }
    int n = spans.size();
    SpanRef[] refs = spans.toArray(new SpanRef[0]);
    // A head span's id is read by walking its encoding: only spans that start together need theirs.
    ByteString[] ids = new ByteString[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Comparator<ByteString> idOrder = ByteString.unsignedLexicographicalComparator();
    Comparator<Integer> byStartThenId = (a, b) -> {
      int c = Long.compare(refs[a].startNanos(), refs[b].startNanos());
      if (c != 0) {
        return c;
      }
      if (ids[a] == null) {
        ids[a] = refs[a].spanId();
      }
      if (ids[b] == null) {
        ids[b] = refs[b].spanId();
      }
      return idOrder.compare(ids[a], ids[b]);
    };
    Arrays.sort(order, byStartThenId); // stable: of duplicates, the first added is kept
    // Duplicates sort next to each other (same start, same span id): only such neighbours are compared in full, so
    // that no span is hashed; a retried export is the only common source of them.
    List<SpanRef> out = new ArrayList<>(n);
    int runStart = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      if (k > 0 && byStartThenId.compare(order[k - 1], i) != 0) {
        runStart = out.size();
      }
      boolean duplicate = false;
      for (int j = runStart; j < out.size() && !duplicate; j++) {
        duplicate = out.get(j).equals(refs[i]);
      }
      if (!duplicate) {
        out.add(refs[i]);
      }
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

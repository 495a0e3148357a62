package io.sightline.traceql.engine;

import java.util.List;
import java.util.Map;

/**
 * One trace of {@code /api/search}: Tempo's {@code TraceSearchMetadata}. {@code rootServiceName} is
 * {@code <root span not yet received>} when no span is a root, as Tempo's frontend writes it; {@code rootTraceName}
 * is then empty. {@code serviceStats} is sorted by service name.
 */
public record TraceResult(String traceId, String rootServiceName, String rootTraceName, long startTimeUnixNano,
    long durationMs, List<SpanSetResult> spanSets, Map<String, ServiceStats> serviceStats) {
  public TraceResult {
    spanSets = List.copyOf(spanSets);
  }

  /** The legacy single {@code spanSet} field: the first spanset, as Tempo fills it; null when there is none. */
  public SpanSetResult spanSet() {
    return spanSets.isEmpty() ? null : spanSets.getFirst();
  }
}

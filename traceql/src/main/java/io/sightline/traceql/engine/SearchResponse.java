package io.sightline.traceql.engine;

import java.util.List;

/** Matched traces, most recent start first as Tempo sorts them, and how many traces were looked at. */
public record SearchResponse(List<TraceResult> traces, long inspectedTraces) {
  public SearchResponse {
    traces = List.copyOf(traces);
  }
}

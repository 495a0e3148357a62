package io.sightline.traceql.syntax;

import java.util.List;

/** {@code spanset pipeline | metrics function [second stages]}. */
public record MetricsQuery(Element spans, FirstStage first, List<SecondStage> second) implements Root {
  public MetricsQuery {
    second = List.copyOf(second);
  }
}

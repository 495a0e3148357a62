package io.sightline.traceql.syntax;

import java.util.List;

/** {@code rate()}, {@code quantile_over_time(duration, .9, .5) by (x)}...; {@code attribute} is null when none. */
public record MetricsAggregate(MetricsFunction function, Attribute attribute, List<Double> quantiles,
    List<Attribute> by) implements FirstStage {
  public MetricsAggregate {
    quantiles = List.copyOf(quantiles);
    by = List.copyOf(by);
  }
}

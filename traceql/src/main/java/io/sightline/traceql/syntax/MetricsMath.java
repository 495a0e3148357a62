package io.sightline.traceql.syntax;

import java.util.List;

/** Arithmetic between metrics queries, or between one and a number, with the stages applied to the result. */
public record MetricsMath(Op op, Root lhs, Root rhs, List<SecondStage> second) implements Root {
  public MetricsMath {
    second = List.copyOf(second);
  }
}

package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/** {@code vector(1)}: one sample without labels at every step (Grafana's health check sends it). */
public record VectorExpr(double value) implements SampleExpr, LogSelectorExpr {
  @Override
  public List<LabelMatcher> matchers() {
    return List.of();
  }

  /** Loki prints the value with {@code %f}. */
  @Override
  public String toString() {
    return "vector(" + Printer.fixed6(value) + ")";
  }
}

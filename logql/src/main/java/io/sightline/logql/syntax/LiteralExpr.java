package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/** A number in a metric query ({@code 2 * rate(...)}); printed as Go's {@code fmt.Sprint} prints a float64. */
public record LiteralExpr(double value) implements SampleExpr, LogSelectorExpr {
  @Override
  public List<LabelMatcher> matchers() {
    return List.of();
  }

  @Override
  public String toString() {
    return Printer.goFloat(value);
  }
}

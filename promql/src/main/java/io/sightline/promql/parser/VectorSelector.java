package io.sightline.promql.parser;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/**
 * {@code http_requests_total{job="api", code=~"5.."} offset 5m @ 1700000000}: the matchers, with the metric name as a
 * {@code __name__} matcher first when one was written before the braces; the offset in milliseconds and the
 * {@code @} modifier, null when absent.
 */
public record VectorSelector(String metricName, List<LabelMatcher> matchers, long offsetMs, At at) implements Expr {

  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  public VectorSelector(String metricName, List<LabelMatcher> matchers) {
    this(metricName, matchers, 0, null);
  }

  VectorSelector withOffset(long offset) {
    return new VectorSelector(metricName, matchers, offset, at);
  }

  VectorSelector withAt(At newAt) {
    return new VectorSelector(metricName, matchers, offsetMs, newAt);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}

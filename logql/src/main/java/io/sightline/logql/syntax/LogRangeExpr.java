package io.sightline.logql.syntax;

import io.sightline.core.model.Durations;

/**
 * A log query over a range, the argument of a range aggregation: {@code {app="api"} | json [5m] offset 1h}, with
 * an optional {@code unwrap}. Durations are in nanoseconds.
 */
public record LogRangeExpr(LogSelectorExpr left, long intervalNanos, long offsetNanos, UnwrapExpr unwrap) {
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(left.toString());
    if (unwrap != null) {
      b.append(unwrap);
    }
    b.append('[').append(Durations.format(intervalNanos / 1_000_000)).append(']');
    if (offsetNanos != 0) {
      b.append(" offset ").append(Printer.goDuration(offsetNanos));
    }
    return b.toString();
  }
}

package io.sightline.promql.parser;

/**
 * {@code expr[range:step] offset … @ …}: the inner expression evaluated at every multiple of the step in the window;
 * a step of 0 means the query's default resolution.
 */
public record Subquery(Expr expr, long rangeMs, long stepMs, long offsetMs, At at) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  Subquery withOffset(long offset) {
    return new Subquery(expr, rangeMs, stepMs, offset, at);
  }

  Subquery withAt(At newAt) {
    return new Subquery(expr, rangeMs, stepMs, offsetMs, newAt);
  }
}

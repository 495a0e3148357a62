package io.sightline.promql.parser;

/** {@code foo[5m]}: the samples of the selected series in the window {@code (t − range, t]}. */
public record MatrixSelector(VectorSelector selector, long rangeMs) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }
}

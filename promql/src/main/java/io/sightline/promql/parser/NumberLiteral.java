package io.sightline.promql.parser;

/** {@code 1}, {@code 2.5e3}, {@code 0x1f}, {@code Inf}, {@code NaN}, or a duration used as seconds. */
public record NumberLiteral(double value) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }
}

package io.sightline.promql.parser;

/** {@code -expr} ({@code +expr} parses to the expression itself). */
public record UnaryExpr(Expr expr) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}

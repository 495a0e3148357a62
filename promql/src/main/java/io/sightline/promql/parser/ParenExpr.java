package io.sightline.promql.parser;

/** {@code (expr)}: kept in the tree so that the printer writes the query back as it was written. */
public record ParenExpr(Expr expr) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}

package io.sightline.promql.parser;

/** Finding selectors in an expression. */
public final class Selectors {
  private Selectors() {}

  /**
   * The first vector selector of {@code e}, left to right, or null when it has none: the series {@code info()} and
   * {@code query_exemplars} take their time and offset, or their exemplars, from.
   */
  public static VectorSelector first(Expr e) {
    return switch (e) {
      case VectorSelector v -> v;
      case MatrixSelector m -> m.selector();
      case Subquery s -> first(s.expr());
      case ParenExpr p -> first(p.expr());
      case UnaryExpr u -> first(u.expr());
      case BinaryExpr b -> {
        VectorSelector l = first(b.lhs());
        yield l != null ? l : first(b.rhs());
      }
      case Call c -> c.args().stream().map(Selectors::first).filter(java.util.Objects::nonNull).findFirst()
          .orElse(null);
      case AggregateExpr a -> first(a.expr());
      case NumberLiteral n -> null;
      case StringLiteral s -> null;
    };
  }
}

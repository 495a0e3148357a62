package io.sightline.promql.parser;

import java.util.List;

/**
 * {@code sum by (job) (expr)}, {@code topk(3, expr)}: the operator, its parameter (null when it takes none), and the
 * grouping labels, kept ({@code by}) or dropped ({@code without}).
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr parameter, List<String> grouping, boolean without)
    implements Expr {

  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }
}

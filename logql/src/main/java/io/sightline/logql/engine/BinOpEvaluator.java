package io.sightline.logql.engine;

import io.sightline.logql.engine.LogqlResult.Sample;
import io.sightline.logql.syntax.SampleExpr.BinOpExpr;
import java.io.IOException;
import java.util.List;

/** A binary operation between two vector expressions, step by step (Loki's {@code BinOpStepEvaluator}). */
final class BinOpEvaluator implements StepEvaluator {
  private final BinOpExpr expr;
  private final StepEvaluator lhs;
  private final StepEvaluator rhs;

  BinOpEvaluator(BinOpExpr expr, StepEvaluator lhs, StepEvaluator rhs) {
    this.expr = expr;
    this.lhs = lhs;
    this.rhs = rhs;
  }

  @Override
  public StepVector next() throws IOException, QueryException {
    // Loki steps the right leg first; both legs yield the same steps.
    StepVector r = rhs.next();
    if (r == null) {
      return null;
    }
    StepVector l = lhs.next();
    if (l == null) {
      return null;
    }
    long ts = l.timestampMillis();
    List<Sample> out = switch (expr.op()) {
      case "and" -> BinaryOperations.and(l.samples(), r.samples(), expr.options());
      case "or" -> BinaryOperations.or(l.samples(), r.samples(), expr.options());
      case "unless" -> BinaryOperations.unless(l.samples(), r.samples(), expr.options());
      default -> BinaryOperations.vector(expr.op(), expr.options(), l.samples(), r.samples(), ts);
    };
    return new StepVector(ts, out);
  }

  @Override
  public void close() throws IOException {
    try {
      lhs.close();
    } finally {
      rhs.close();
    }
  }
}

package io.sightline.logql.engine;

import io.sightline.logql.engine.LogqlResult.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A binary operation between a vector and a number ({@code rate(...) * 60}, {@code 10 < count_over_time(...)}), as
 * Loki's {@code LiteralStepEvaluator}: samples keep their labels; a comparison without {@code bool} keeps or drops
 * the vector's sample.
 */
final class LiteralBinOpEvaluator implements StepEvaluator {
  private final String op;
  private final double literal;
  private final StepEvaluator next;
  /** Whether the literal is the right operand. */
  private final boolean inverted;
  private final boolean returnBool;

  LiteralBinOpEvaluator(String op, double literal, StepEvaluator next, boolean inverted, boolean returnBool) {
    this.op = op;
    this.literal = literal;
    this.next = next;
    this.inverted = inverted;
    this.returnBool = returnBool;
  }

  @Override
  public StepVector next() throws IOException, QueryException {
    StepVector v = next.next();
    if (v == null) {
      return null;
    }
    List<Sample> out = new ArrayList<>(v.samples().size());
    boolean comparison = BinaryOperations.isComparison(op);
    for (Sample s : v.samples()) {
      double left = inverted ? s.value() : literal;
      double right = inverted ? literal : s.value();
      Double r = BinaryOperations.merge(op, left, right, !inverted, comparison && !returnBool);
      if (r != null) {
        out.add(new Sample(s.metric(), v.timestampMillis(), r));
      }
    }
    return new StepVector(v.timestampMillis(), out);
  }

  @Override
  public void close() throws IOException {
    next.close();
  }
}

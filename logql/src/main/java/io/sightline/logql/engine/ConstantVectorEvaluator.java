package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult.Sample;
import java.util.List;

/** {@code vector(1)}: one sample without labels at every step (Loki's {@code VectorIterator}). */
final class ConstantVectorEvaluator implements StepEvaluator {
  private final double value;
  private final long stepMillis;
  private final long endMillis;
  private long current;

  ConstantVectorEvaluator(double value, long startNanos, long endNanos, long stepNanos) {
    this.value = value;
    long step = stepNanos / 1_000_000;
    this.stepMillis = step == 0 ? 1 : step;
    this.endMillis = endNanos / 1_000_000;
    this.current = startNanos / 1_000_000 - stepMillis;
  }

  @Override
  public StepVector next() {
    current += stepMillis;
    if (current > endMillis) {
      return null;
    }
    return new StepVector(current, List.of(new Sample(Labels.EMPTY, current, value)));
  }

  @Override
  public void close() {}
}

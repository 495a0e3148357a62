package io.sightline.logql.engine;

import java.io.IOException;

/**
 * Evaluates a metric expression step by step, as Loki's {@code StepEvaluator}: every evaluator of one query yields
 * the same steps, in time order, so that binary operations can pair them.
 */
interface StepEvaluator extends AutoCloseable {

  /** The next step's vector (possibly empty), or null after the last step. */
  StepVector next() throws IOException, QueryException;

  @Override
  void close() throws IOException;
}

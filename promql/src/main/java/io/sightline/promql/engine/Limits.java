package io.sightline.promql.engine;

/**
 * One query's limits while it runs: the samples it holds at once (Prometheus' {@code query.max-samples}) and its
 * deadline ({@code query.timeout}); {@code canceled} is set when the client goes away.
 */
final class Limits {
  private final long maxSamples;
  private final long deadlineNanos;
  private final java.util.function.BooleanSupplier canceled;
  private long samples;

  Limits(long maxSamples, long timeoutNanos, java.util.function.BooleanSupplier canceled) {
    this.maxSamples = maxSamples;
    this.deadlineNanos = System.nanoTime() + timeoutNanos;
    this.canceled = canceled;
  }

  synchronized void addSamples(long n) throws QueryException {
    samples += n;
    if (samples > maxSamples) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "query processing would load too many samples into memory in query execution");
    }
  }

  /**
   * Refuses a step grid too long to hold even one point per step, before anything is allocated for it: a subquery
   * such as {@code [30d:1ms]} must fail at once, not after filling the heap.
   */
  void checkSteps(long steps) throws QueryException {
    if (steps > maxSamples) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "query processing would load too many samples into memory in query execution");
    }
  }

  void check() throws QueryException {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException(QueryException.Kind.TIMEOUT, "query timed out in expression evaluation");
    }
    if (canceled.getAsBoolean()) {
      throw new QueryException(QueryException.Kind.CANCELED, "query was canceled in expression evaluation");
    }
  }
}

package io.sightline.promql.engine;

import io.sightline.metricstore.Querier;

/** Evaluates PromQL over a {@link Querier}, as Prometheus 3 does. */
public final class Engine {
  private final EngineOptions options;

  public Engine(EngineOptions options) {
    this.options = options;
  }

  public EngineOptions options() {
    return options;
  }

  /** {@code query} at one instant ({@code /api/v1/query}). */
  public QueryResult instant(Querier querier, String query, long timeMs) throws QueryException {
    return range(querier, query, timeMs, timeMs, 1);
  }

  /** {@code query} at {@code start, start + step, …, end} ({@code /api/v1/query_range}); the result is a matrix. */
  public QueryResult range(Querier querier, String query, long startMs, long endMs, long stepMs)
      throws QueryException {
    throw new QueryException(QueryException.Kind.EXECUTION, "the PromQL evaluator is being written");
  }
}

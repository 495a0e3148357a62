package io.sightline.logql.engine;

import io.sightline.logql.syntax.ParseException;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.SelectRequest.Direction;
import java.util.function.BooleanSupplier;

/**
 * Runs LogQL queries over a log store, as Loki's {@code logql.QueryEngine} with the checks its querier's HTTP
 * handlers make first. Thread-safe: every query compiles its own pipelines.
 */
public final class LogqlEngine {
  private final EngineLimits limits;

  public LogqlEngine(EngineLimits limits) {
    this.limits = limits;
  }

  public EngineLimits limits() {
    return limits;
  }

  /**
   * Loki's instant query ({@code /loki/api/v1/query}): a metric query evaluated at {@code timeNanos}. Log queries
   * are refused as Loki refuses them (400). The result is a {@link LogqlResult.Vector}, or a {@link
   * LogqlResult.Scalar} for a literal.
   *
   * @param limit the entries limit (checked against {@code max_entries_limit_per_query} as Loki does)
   * @param canceled polled while the query runs; true stops it with Loki's 499
   * @throws ParseException Loki's parse errors (400)
   * @throws QueryException Loki's query errors with their status
   */
  public LogqlResult instant(LogQuerier querier, String query, long timeNanos, Direction direction, int limit,
      BooleanSupplier canceled) throws ParseException, QueryException {
    return new Query(this, querier, canceled).instant(query, timeNanos, direction, limit);
  }

  /**
   * Loki's range query ({@code /loki/api/v1/query_range}) over {@code [startNanos, endNanos]} (log queries read
   * {@code [start, end)}). Metric queries are evaluated at {@code start, start+step, ... <= end} and give a {@link
   * LogqlResult.Matrix}; log queries give {@link LogqlResult.Streams} of at most {@code limit} entries.
   *
   * @param stepNanos the step, positive
   * @param intervalNanos for log queries, return at most one entry per interval (Loki's {@code interval}); 0 = all
   * @param canceled polled while the query runs; true stops it with Loki's 499
   * @throws ParseException Loki's parse errors (400)
   * @throws QueryException Loki's query errors with their status
   */
  public LogqlResult range(LogQuerier querier, String query, long startNanos, long endNanos, long stepNanos,
      long intervalNanos, Direction direction, int limit, BooleanSupplier canceled) throws ParseException,
      QueryException {
    return new Query(this, querier, canceled).range(query, startNanos, endNanos, stepNanos, intervalNanos, direction,
        limit);
  }
}

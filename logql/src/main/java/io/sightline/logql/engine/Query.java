package io.sightline.logql.engine;

import io.sightline.logql.syntax.ParseException;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.SelectRequest.Direction;
import java.util.function.BooleanSupplier;

/** One query's run: its parameters, deadline and statistics. */
final class Query {
  private final LogqlEngine engine;
  private final LogQuerier querier;
  private final BooleanSupplier canceled;

  Query(LogqlEngine engine, LogQuerier querier, BooleanSupplier canceled) {
    this.engine = engine;
    this.querier = querier;
    this.canceled = canceled;
  }

  LogqlResult instant(String query, long timeNanos, Direction direction, int limit) throws ParseException,
      QueryException {
    throw new QueryException(500, "not implemented yet");
  }

  LogqlResult range(String query, long startNanos, long endNanos, long stepNanos, long intervalNanos,
      Direction direction, int limit) throws ParseException, QueryException {
    throw new QueryException(500, "not implemented yet");
  }
}

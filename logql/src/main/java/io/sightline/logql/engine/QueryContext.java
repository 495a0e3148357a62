package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.logql.log.Needles;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.SelectRequest;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * What every evaluator of one query shares: the querier, the evaluation grid ({@code stepNanos} 0 for an instant
 * query), the deadline and cancellation, and the statistics.
 */
final class QueryContext {
  private static final int CHECK_EVERY = 1024;

  private final LogQuerier querier;
  private final long startNanos;
  private final long endNanos;
  private final long stepNanos;
  private final long deadlineNanos;
  private final BooleanSupplier canceled;
  private final StatsCollector stats = new StatsCollector();
  private int untilCheck = CHECK_EVERY;

  QueryContext(LogQuerier querier, long startNanos, long endNanos, long stepNanos, long timeoutNanos,
      BooleanSupplier canceled) {
    this.querier = querier;
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.stepNanos = stepNanos;
    this.deadlineNanos = timeoutNanos <= 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
    this.canceled = canceled == null ? () -> false : canceled;
  }

  long startNanos() {
    return startNanos;
  }

  long endNanos() {
    return endNanos;
  }

  long stepNanos() {
    return stepNanos;
  }

  boolean instant() {
    return stepNanos == 0;
  }

  StatsCollector stats() {
    return stats;
  }

  /**
   * The current entry's structured metadata, counted in the statistics with its line; null, counting the line alone,
   * when the line lacks one of the query's needles: the filters would drop it, so its metadata is not read.
   */
  Labels readMetadata(EntryIterator it, Needles needles) {
    if (!needles.mayMatch(it.lineBuffer(), it.lineOffset(), it.lineLength())) {
      stats.read(it.lineLength(), Labels.EMPTY);
      return null;
    }
    Labels meta = it.structuredMetadata();
    stats.read(it.lineLength(), meta);
    return meta;
  }

  EntryIterator select(SelectRequest request) throws IOException, QueryException {
    check();
    return querier.select(request);
  }

  /** Called per entry: every so many entries, stops the query on cancellation or timeout. */
  void checkAlive() throws QueryException {
    if (--untilCheck <= 0) {
      untilCheck = CHECK_EVERY;
      check();
    }
  }

  void check() throws QueryException {
    if (canceled.getAsBoolean()) {
      throw QueryException.canceled();
    }
    if (System.nanoTime() - deadlineNanos > 0 && deadlineNanos != Long.MAX_VALUE) {
      throw QueryException.timeout();
    }
  }

  /** Takes an iterator's statistics and closes it. */
  void closed(EntryIterator it) throws IOException {
    stats.add(it.stats());
    it.close();
  }
}

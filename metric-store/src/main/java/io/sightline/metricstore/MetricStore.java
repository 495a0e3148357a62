package io.sightline.metricstore;

import java.io.IOException;

/** A time-series store: appenders write, queriers read. */
public interface MetricStore extends AutoCloseable {

  /** A new appender; appenders are cheap and used by one thread for one batch. */
  Appender appender();

  /** A querier over everything committed so far. */
  Querier querier();

  /** Cardinality figures, each ranking cut to its {@code limit} largest entries. */
  StoreStats stats(int limit);

  /**
   * Copies the store's data as it is now into {@code snapshots/<name>} under the store's directory (blocks as hard
   * links, the head written as one more block unless {@code skipHead}), for backups; returns the name.
   */
  default String snapshot(boolean skipHead) throws IOException {
    throw new UnsupportedOperationException("this store cannot take snapshots");
  }

  /**
   * Deletes the samples in {@code [minT, maxT]} of the series matching {@code matchers} (Prometheus'
   * {@code delete_series}): gone from queries at once, from disk when blocks are next rewritten.
   */
  default void deleteSeries(java.util.List<io.sightline.core.model.LabelMatcher> matchers, long minT, long maxT)
      throws IOException {
    throw new UnsupportedOperationException("this store cannot delete series");
  }

  /** Rewrites the blocks that hold deleted data without it (Prometheus' {@code clean_tombstones}). */
  default void cleanTombstones() throws IOException {
    throw new UnsupportedOperationException("this store cannot delete series");
  }

  /** Flushes and closes; appended data that was committed is durable. */
  @Override
  void close() throws IOException;
}

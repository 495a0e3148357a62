package io.sightline.logstore;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import java.io.IOException;
import java.util.List;

/**
 * One request's lines. What {@link #append} takes is neither durable nor visible until {@link #commit}; after
 * {@link #rollback} it is forgotten. Used from one thread.
 */
public interface LogAppender {

  /**
   * Adds entries of one stream (any order; a stream may come more than once). Entries older than the stream's
   * out-of-order window are refused one by one, as Loki's ingester does; an entry equal to a stored one (same time,
   * same line) is dropped silently, as Loki does.
   *
   * @param stream the stream's labels, valid label names, at least one label
   * @throws StreamLimitException when this would create a stream beyond the store's limit (nothing of it is kept)
   */
  AppendResult append(Labels stream, List<LogEntry> entries) throws StreamLimitException;

  /** Makes everything appended since the last commit durable in the WAL, then visible to queriers. */
  void commit() throws IOException;

  /** Forgets what was appended since the last commit. */
  void rollback();
}

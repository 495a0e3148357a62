package io.sightline.logstore;

import java.io.IOException;

/**
 * Streams of log lines in Loki's shape: lines go in through an appender (durable on commit) and come out through a
 * querier. Thread-safe.
 */
public interface LogStore extends AutoCloseable {

  /** A new appender for one request's streams; appenders are cheap and each serves one thread. */
  LogAppender appender();

  /** A view of everything committed so far; cheap, and safe to use from one thread while ingestion goes on. */
  LogQuerier querier();

  /** Counts for /metrics, dashboards and tests. */
  LogStoreStats stats();

  /** Writes what is still in memory to chunks on disk, stops the upkeep and closes the WAL. */
  @Override
  void close() throws IOException;
}

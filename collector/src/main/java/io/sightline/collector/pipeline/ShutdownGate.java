package io.sightline.collector.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Stands between the receivers and the pipelines. Closed at the start of shutdown, it refuses new data with a
 * retryable error, so that the processors can drain what is already inside without more arriving behind it.
 */
final class ShutdownGate {
  /** Long enough for a restart to finish; clients back off at least this much. */
  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private volatile boolean closed;

  <T extends Telemetry> Consumer<T> guard(Consumer<T> next) {
    if (next == null) {
      return null;
    }
    return batch -> closed
        ? CompletableFuture.failedFuture(new RetryableException("server is shutting down", RETRY_AFTER, false))
        : next.consume(batch);
  }

  void close() {
    closed = true;
  }
}

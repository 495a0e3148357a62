package io.sightline.collector.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Takes a batch of telemetry: the one seam between receivers, processors and exporters.
 *
 * <p>{@link #consume} returns at once; the future completes when every exporter downstream has made the batch
 * durable: an embedded store has written it to its write-ahead log, a remote exporter has delivered it or put it
 * in its persistent queue. A receiver acknowledges its client only then, so a process killed after the
 * acknowledgement loses nothing. The future fails with {@link RetryableException} when the client should send
 * again later (overload, a store that is unavailable), with {@link PermanentException} when the data itself is
 * unacceptable, and with anything else on a bug.
 *
 * <p>Implementations must not modify the batch: it may be shared with other consumers of a fan-out.
 */
@FunctionalInterface
public interface Consumer<T extends Telemetry> {

  CompletableFuture<ConsumeResult> consume(T batch);

  /** Accepts everything and keeps nothing. */
  static <T extends Telemetry> Consumer<T> discard() {
    return batch -> CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);
  }

  /**
   * Hands each batch to every consumer; the result completes when all of them have, and fails if any fails. With one
   * consumer, that consumer itself is returned.
   */
  static <T extends Telemetry> Consumer<T> fanOut(List<? extends Consumer<T>> consumers) {
    if (consumers.isEmpty()) {
      throw new IllegalArgumentException("fan-out needs at least one consumer");
    }
    if (consumers.size() == 1) {
      return consumers.get(0);
    }
    List<Consumer<T>> all = List.copyOf(consumers);
    return batch -> {
      @SuppressWarnings("unchecked")
      CompletableFuture<ConsumeResult>[] results = new CompletableFuture[all.size()];
      for (int i = 0; i < results.length; i++) {
        results[i] = Consumers.safely(all.get(i), batch);
      }
      return CompletableFuture.allOf(results).thenApply(ignored -> {
        ConsumeResult merged = ConsumeResult.ACCEPTED;
        for (CompletableFuture<ConsumeResult> r : results) {
          merged = merged.merge(r.join());
        }
        return merged;
      });
    };
  }
}

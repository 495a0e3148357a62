package io.sightline.collector.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Small helpers shared by pipeline code. */
public final class Consumers {
  private Consumers() {}

  /** Calls {@code consumer}, turning an exception thrown instead of returned into a failed future. */
  public static <T extends Telemetry> CompletableFuture<ConsumeResult> safely(Consumer<T> consumer, T batch) {
    try {
      CompletableFuture<ConsumeResult> result = consumer.consume(batch);
      return result != null ? result : CompletableFuture.failedFuture(new IllegalStateException(consumer + " returned null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The exception a future failed with, without the {@link CompletionException} wrapper. */
  public static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}

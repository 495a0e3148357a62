package io.sightline.server.embedded;

import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.RetryableException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes an embedded-store exporter has running: each on the blocking executor (a commit writes, and may sync, a
 * file), refused retryably once that executor is shut down, and waited for at close so that the store closes only
 * after their commits.
 */
final class StoreWrites {
  private static final Logger log = LoggerFactory.getLogger(StoreWrites.class);
  /** How long closing waits for batches in flight before the stores close under them. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final String exporter;
  private final String store;
  private final Executor executor;
  private final Set<CompletableFuture<ConsumeResult>> inFlight = ConcurrentHashMap.newKeySet();

  /** @param store how log lines and refusals name the store: "metric store", "trace store" */
  StoreWrites(String exporter, String store, Executor executor) {
    this.exporter = exporter;
    this.store = store;
    this.executor = executor;
  }

  CompletableFuture<ConsumeResult> submit(Supplier<ConsumeResult> write) {
    CompletableFuture<ConsumeResult> result;
    try {
      result = CompletableFuture.supplyAsync(write, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new RetryableException("the " + store + " is shutting down",
          SightlineMetricsExporter.RETRY_AFTER, false));
    }
    inFlight.add(result);
    result.whenComplete((r, t) -> inFlight.remove(result));
    return result;
  }

  /** Waits for the batches in flight, at most {@link #CLOSE_WAIT}. */
  void awaitAll() throws InterruptedException, java.util.concurrent.ExecutionException {
    CompletableFuture<?> all = CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
    try {
      all.handle((r, t) -> null).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.atWarn().addKeyValue("exporter", exporter).addKeyValue("in_flight", inFlight.size())
          .log("batches still writing to the " + store + " at shutdown");
    }
  }
}

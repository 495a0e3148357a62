package io.sightline.server.embedded;

import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.receiver.loki.LokiDistributor;
import io.sightline.collector.receiver.loki.PushResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The pipeline's OTLP logs into the embedded log store, through the same distributor as {@code /otlp/v1/logs}: Loki
 * 3's mapping to streams and structured metadata, Loki's validation and limits. The future completes once the
 * store's commit has returned (the lines are in its WAL).
 *
 * <ul>
 *   <li>Loki's 429 (ingestion rate, stream limit, a full head) and 5xx fail the batch with {@link RetryableException},
 *       as an overload for 429, so that the client retries later.
 *   <li>Other refusals (400: invalid lines, entries too far behind) fail it with {@link PermanentException} carrying
 *       Loki's message: Loki's OTLP endpoint answers them so, having kept the valid lines, and a retry would be
 *       refused again.
 * </ul>
 */
final class SightlineLogsExporter implements Exporter<Logs> {
  /** Loki's clients back off for a second or more; the rate limit refills within that. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final Supplier<LokiDistributor> distributor;
  private final StoreWrites writes;

  SightlineLogsExporter(String id, Supplier<LokiDistributor> distributor, Executor executor) {
    this.distributor = distributor;
    this.writes = new StoreWrites(id, "log store", executor);
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(Logs batch) {
    return writes.submit(() -> write(batch));
  }

  private ConsumeResult write(Logs batch) {
    LokiDistributor d = distributor.get();
    if (d == null) {
      throw new RetryableException("the log store is not open", RETRY_AFTER, false);
    }
    PushResult result = d.pushOtlp(batch.toRequest());
    if (result.isSuccess()) {
      return ConsumeResult.ACCEPTED;
    }
    if (result.status() == 429) {
      throw new RetryableException(result.message(), RETRY_AFTER, true);
    }
    if (result.status() >= 500) {
      throw new RetryableException(result.message(), RETRY_AFTER, false);
    }
    throw new PermanentException(result.message());
  }

  /** Waits for the batches in flight, so that the store closes only after their commits. */
  @Override
  public void close() throws Exception {
    writes.awaitAll();
  }

  @Override
  public String toString() {
    return "sightline logs exporter";
  }
}

package io.sightline.server.embedded;

import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.PermanentException;
import io.sightline.collector.pipeline.RetryableException;
import io.sightline.collector.translate.prometheus.OtlpMetricsTranslator;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricStore;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates each batch of OTLP metrics into Prometheus series and appends them to the embedded metric store. The
 * future completes once the store's commit has returned, that is once the batch is in the WAL; the work runs on a
 * blocking executor, as the commit writes (and may sync) a file.
 *
 * <ul>
 *   <li>Samples the store refuses (out of order, too old, duplicate, over the series limit) are counted, not
 *       errors: Prometheus' OTLP endpoint answers them with 400, and a client could do nothing but drop them.
 *   <li>Points the translator drops are rejected items of a partial success. A batch of which nothing could be
 *       translated fails with {@link PermanentException}.
 *   <li>A commit that fails (the disk) fails the batch with {@link RetryableException}. Delta streams have already
 *       counted its points then; when the client sends it again, they are refused as repeats, and the next points
 *       bring the totals up to date, so a retry loses one sample per stream but never counts twice.
 * </ul>
 */
final class SightlineMetricsExporter implements Exporter<Metrics> {
  private static final Logger log = LoggerFactory.getLogger(SightlineMetricsExporter.class);
  /** Long enough for a full disk or a slow fsync to pass, short enough not to hold clients back needlessly. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final String id;
  private final Supplier<MetricStore> store;
  private final OtlpMetricsTranslator translator;
  private final MetricsExporterCounters counters;
  private final StoreWrites writes;

  SightlineMetricsExporter(String id, Supplier<MetricStore> store, OtlpMetricsTranslator translator, Executor executor,
      MetricsExporterCounters counters) {
    this.id = id;
    this.store = store;
    this.translator = translator;
    this.writes = new StoreWrites(id, "metric store", executor);
    this.counters = counters;
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(Metrics batch) {
    return writes.submit(() -> write(batch));
  }

  private ConsumeResult write(Metrics batch) {
    MetricStore metrics = store.get();
    if (metrics == null) {
      throw new RetryableException("the metric store is not open", RETRY_AFTER, false);
    }
    Appender appender = metrics.appender();
    MetricStoreSink sink = new MetricStoreSink(appender);
    try {
      translator.translate(batch.resourceMetrics(), sink);
    } catch (RuntimeException e) {
      appender.rollback();
      throw e;
    }
    if (batch.itemCount() > 0 && sink.droppedPoints() >= batch.itemCount()) {
      appender.rollback();
      counters.record(id, sink);
      throw new PermanentException("no data point could be translated to a Prometheus series; first: "
          + sink.firstDrop());
    }
    try {
      sink.refusedAtCommit(appender.commit());
    } catch (IOException e) {
      log.atError().setCause(e).addKeyValue("exporter", id).log("the metric store could not commit a batch");
      throw new RetryableException("the metric store could not write its WAL: " + e.getMessage(), RETRY_AFTER, false);
    }
    counters.record(id, sink);
    return outcome(sink);
  }

  private static ConsumeResult outcome(MetricStoreSink sink) {
    if (sink.droppedPoints() == 0) {
      return ConsumeResult.ACCEPTED;
    }
    return ConsumeResult.partial(sink.droppedPoints(), sink.droppedPoints()
        + " data points could not be translated; first: " + sink.firstDrop());
  }

  /** Waits for the batches in flight, so that the store closes only after their commits. */
  @Override
  public void close() throws Exception {
    writes.awaitAll();
  }

  @Override
  public String toString() {
    return "sightline exporter " + id;
  }
}

package io.sightline.server.embedded;

import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.MetricStore;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The metrics generator's way out: each collection goes into the embedded metric store, one appender committed (to
 * the WAL) as one batch, exemplars included, and, when {@code metrics_generator.storage.remote_write} has endpoints,
 * to their queues too. Handing a collection to the queues never waits for the network.
 */
public final class GeneratorSink implements SampleSink {
  private final LongAdder refused = new LongAdder();
  private final AppenderSink writer;
  private final SampleSink remote;

  /** @param remote the remote-write queues, or null when there are none */
  public GeneratorSink(Supplier<MetricStore> store, SampleSink remote) {
    this.writer = new AppenderSink(store, refused::add);
    this.remote = remote;
  }

  /**
   * Samples the store refused: a series over {@code storage.metrics.max_series}, or a sample older than the series'
   * newest, which is expected for the initial zero of a series that was dropped as stale and came back.
   */
  public long refused() {
    return refused.sum();
  }

  @Override
  public Batch begin() {
    Batch store = writer.begin();
    if (remote == null) {
      return store;
    }
    Batch queues = remote.begin();
    return new Batch() {
      @Override
      public boolean append(Labels series, long timestampMs, double value) {
        queues.append(series, timestampMs, value);
        return store.append(series, timestampMs, value);
      }

      @Override
      public void exemplar(Labels series, Labels exemplar, long timestampMs, double value) {
        queues.exemplar(series, exemplar, timestampMs, value);
        store.exemplar(series, exemplar, timestampMs, value);
      }

      @Override
      public void metadata(String family, String type, String help, String unit) {
        queues.metadata(family, type, help, unit);
        store.metadata(family, type, help, unit);
      }

      /** The endpoints get the collection even when the store refuses it: they are not behind the store. */
      @Override
      public void commit() throws IOException {
        try {
          store.commit();
        } finally {
          queues.commit();
        }
      }

      @Override
      public void rollback() {
        store.rollback();
        queues.rollback();
      }
    };
  }
}

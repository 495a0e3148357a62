package io.sightline.server.embedded;

import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.metricstore.MetricStore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The metrics generator's way into the embedded metric store: one appender per collection, committed (to the WAL)
 * as one batch, exemplars included.
 */
public final class GeneratorSink implements SampleSink {
  private final LongAdder refused = new LongAdder();
  private final AppenderSink writer;

  public GeneratorSink(Supplier<MetricStore> store) {
    this.writer = new AppenderSink(store, refused::add);
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
    return writer.begin();
  }
}

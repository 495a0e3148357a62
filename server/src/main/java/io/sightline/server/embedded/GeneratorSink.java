package io.sightline.server.embedded;

import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.SeriesLimitException;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The metrics generator's way into the embedded metric store: one appender per collection, committed (to the WAL)
 * as one batch, exemplars included.
 */
public final class GeneratorSink implements SampleSink {
  private final Supplier<MetricStore> store;
  private final LongAdder refused = new LongAdder();

  public GeneratorSink(Supplier<MetricStore> store) {
    this.store = store;
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
    MetricStore metrics = store.get();
    if (metrics == null) {
      throw new IllegalStateException("the metric store is not open");
    }
    Appender appender = metrics.appender();
    return new Batch() {
      @Override
      public boolean append(Labels series, long timestampMs, double value) {
        try {
          Appender.Outcome o = appender.append(series, timestampMs, value);
          if (o == Appender.Outcome.ACCEPTED || o == Appender.Outcome.IDENTICAL) {
            return true;
          }
        } catch (SeriesLimitException e) {
          // over storage.metrics.max_series: this series is left out, the others go on
        }
        refused.increment();
        return false;
      }

      @Override
      public void exemplar(Labels series, Labels exemplar, long timestampMs, double value) {
        try {
          appender.appendExemplar(appender.ref(series), exemplar, timestampMs, value);
        } catch (SeriesLimitException e) {
          // its series was refused just before
        }
      }

      @Override
      public void metadata(String family, String type, String help, String unit) {
        appender.updateMetadata(family, new MetricMetadata(type, help, unit));
      }

      @Override
      public void commit() throws IOException {
        int late = appender.commit();
        if (late > 0) {
          refused.add(late);
        }
      }

      @Override
      public void rollback() {
        appender.rollback();
      }
    };
  }
}

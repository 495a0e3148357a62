package io.sightline.server.embedded;

import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.SeriesLimitException;
import java.io.IOException;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A {@link SampleSink} over the embedded metric store: one appender per batch, committed to the WAL as one. Samples
 * the store refuses (out of order, duplicate timestamp, too old, a new series over {@code storage.metrics.max_series})
 * are told to {@code refused} and leave the rest of the batch going on. Scraping and the metrics generator write
 * through it.
 */
final class AppenderSink implements SampleSink {
  private final Supplier<MetricStore> store;
  private final LongConsumer refused;

  AppenderSink(Supplier<MetricStore> store, LongConsumer refused) {
    this.store = store;
    this.refused = refused;
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
          // a new series over storage.metrics.max_series: this one is left out, the others go on
        }
        refused.accept(1);
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
          refused.accept(late);
        }
      }

      @Override
      public void rollback() {
        appender.rollback();
      }
    };
  }
}

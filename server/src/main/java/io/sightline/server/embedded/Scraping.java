package io.sightline.server.embedded;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.api.prometheus.ScrapeTargets;
import io.sightline.collector.receiver.prometheus.SampleSink;
import io.sightline.collector.receiver.prometheus.ScrapeManager;
import io.sightline.collector.receiver.prometheus.TargetStatus;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.MetricStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code scrape} section at work: scrape loops writing straight into the embedded metric store, as Prometheus'
 * scrape manager writes into its TSDB, and the targets as the Prometheus API shows them.
 */
public final class Scraping implements ScrapeTargets, AutoCloseable {
  private final ScrapeManager manager;
  private final Supplier<MetricStore> store;
  private final CounterDataPoint refused;

  public Scraping(ScrapeManager manager, Supplier<MetricStore> store, PrometheusRegistry registry) {
    this.manager = manager;
    this.store = store;
    this.refused = Counter.builder().name("sightline_scrape_samples_refused")
        .help("Scraped samples the metric store refused (out of order, duplicate timestamp, too old).")
        .register(registry).labelValues();
  }

  /** The scrape jobs, as configured. */
  public ScrapeManager manager() {
    return manager;
  }

  /** Replaces the scrape jobs with {@code next}'s; see {@link ScrapeManager#apply}. */
  public void apply(ScrapeManager next) {
    manager.apply(next);
  }

  /** Starts scraping; call once the store is open. */
  public void start(String userAgent) {
    manager.start(new StoreSink(), userAgent);
  }

  @Override
  public List<Active> active() {
    List<Active> out = new ArrayList<>();
    for (TargetStatus s : manager.targets()) {
      Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
      s.metadata().forEach((family, f) -> metadata.put(family, new MetricMetadata(f.type(), f.help(), f.unit())));
      out.add(new Active(s.target().discoveredLabels(), s.target().labels(), s.target().config().jobName(),
          s.target().url().toString(), s.health(), s.lastError(), s.lastScrapeMs(), s.lastScrapeDurationSeconds(),
          s.target().discoveredLabels().get("__scrape_interval__"),
          s.target().discoveredLabels().get("__scrape_timeout__"), metadata));
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }

  /** One appender per scrape. */
  private final class StoreSink implements SampleSink {
    @Override
    public Batch begin() {
      Appender appender = store.get().appender();
      return new Batch() {
        @Override
        public boolean append(Labels series, long timestampMs, double value) {
          Appender.Outcome o;
          try {
            o = appender.append(series, timestampMs, value);
          } catch (io.sightline.metricstore.SeriesLimitException e) {
            refused.inc(); // a new series over storage.metrics.max_series; the rest of the scrape goes on
            return false;
          }
          if (o == Appender.Outcome.ACCEPTED || o == Appender.Outcome.IDENTICAL) {
            return true;
          }
          refused.inc();
          return false;
        }

        @Override
        public void exemplar(Labels series, Labels exemplar, long timestampMs, double value) {
          try {
            appender.appendExemplar(appender.ref(series), exemplar, timestampMs, value);
          } catch (io.sightline.metricstore.SeriesLimitException e) {
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
            refused.inc(late);
          }
        }

        @Override
        public void rollback() {
          appender.rollback();
        }
      };
    }
  }
}

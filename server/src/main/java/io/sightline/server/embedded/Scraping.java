package io.sightline.server.embedded;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.api.prometheus.ScrapeTargets;
import io.sightline.collector.receiver.prometheus.ScrapeManager;
import io.sightline.collector.receiver.prometheus.TargetStatus;
import io.sightline.metricstore.MetricMetadata;
import io.sightline.metricstore.MetricStore;
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
    manager.start(new AppenderSink(store, refused::inc), userAgent);
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
}

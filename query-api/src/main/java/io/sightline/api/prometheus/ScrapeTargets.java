package io.sightline.api.prometheus;

import io.sightline.core.model.Labels;
import io.sightline.metricstore.MetricMetadata;
import java.util.List;
import java.util.Map;

/** What {@code /api/v1/targets} and {@code /api/v1/targets/metadata} read: the scrape targets and their state. */
public interface ScrapeTargets {

  /** No scraping configured. */
  ScrapeTargets NONE = List::of;

  List<Active> active();

  /**
   * One target as Prometheus shows it.
   *
   * @param lastScrapeMs 0 before the first scrape
   * @param metadata the metric families of its last scrape
   */
  record Active(Labels discoveredLabels, Labels labels, String scrapePool, String scrapeUrl, String health,
      String lastError, long lastScrapeMs, double lastScrapeDurationSeconds, String scrapeInterval,
      String scrapeTimeout, Map<String, MetricMetadata> metadata) {}
}

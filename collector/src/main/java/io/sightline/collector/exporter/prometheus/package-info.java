/**
 * The Collector's (contrib) {@code prometheus} exporter: the latest value of every series the pipeline brought, kept
 * until {@code metric_expiration}, served for scraping on {@code endpoint}'s {@code /metrics} in the Prometheus text
 * format, or OpenMetrics with exemplars when {@code enable_open_metrics} is on and the scraper asks for it.
 */
package io.sightline.collector.exporter.prometheus;

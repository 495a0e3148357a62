/**
 * Scraping, as Prometheus does it: {@code scrape_configs} (static targets, relabeling, limits, auth), one scrape loop
 * per target writing through a {@link io.sightline.collector.receiver.prometheus.SampleSink} with Prometheus'
 * report series ({@code up}, {@code scrape_duration_seconds}, …) and staleness markers. The sink is the only way out:
 * this package knows no store.
 */
package io.sightline.collector.receiver.prometheus;

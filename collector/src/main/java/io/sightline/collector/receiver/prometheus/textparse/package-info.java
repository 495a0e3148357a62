/**
 * The exposition formats a scrape reads: Prometheus' text format 0.0.4 and OpenMetrics 1.0 text, parsed from the
 * response bytes into callbacks.
 */
package io.sightline.collector.receiver.prometheus.textparse;

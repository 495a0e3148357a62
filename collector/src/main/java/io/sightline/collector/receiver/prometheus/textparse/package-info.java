/**
 * The exposition formats a scrape reads, Prometheus' text format 0.0.4 and OpenMetrics 1.0 text, parsed from the
 * response bytes into {@link io.sightline.collector.receiver.prometheus.textparse.ExpositionHandler} callbacks with
 * the grammar, float syntax and error messages of Prometheus' {@code model/textparse}.
 * {@link io.sightline.collector.receiver.prometheus.textparse.ExpositionParser} is the entry point and
 * {@link io.sightline.collector.receiver.prometheus.textparse.ExpositionFormat} picks the format from the
 * Content-Type; the rest is package-private.
 */
package io.sightline.collector.receiver.prometheus.textparse;

/**
 * OTLP metrics to Prometheus series, as Prometheus 3 translates them on its OTLP endpoint
 * ({@code storage/remote/otlptranslator} with {@code github.com/prometheus/otlptranslator}): metric and label names,
 * {@code job}/{@code instance} and {@code target_info} from the resource, scope labels, classic histograms and
 * summaries as several series, exponential histograms as native histograms, stale markers and exemplars. Delta sums
 * and histograms are turned into cumulative ones first, as Prometheus' {@code otlp-deltatocumulative} feature does.
 *
 * <p>{@link io.sightline.collector.translate.prometheus.OtlpMetricsTranslator} walks a batch and reports what it
 * makes to a {@link io.sightline.collector.translate.prometheus.PrometheusSink}; it knows no store.
 */
package io.sightline.collector.translate.prometheus;

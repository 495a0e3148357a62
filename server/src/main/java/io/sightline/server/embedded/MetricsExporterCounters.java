package io.sightline.server.embedded;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.translate.prometheus.DropReason;
import io.sightline.metricstore.Appender;
import java.util.Locale;

/**
 * What the {@code sightline} exporter did with the metrics it was given, for {@code /metrics}: samples (native
 * histograms among them) and exemplars by the store's answer, data points the translator dropped by reason.
 * Registered once per registry, labelled by exporter id.
 */
final class MetricsExporterCounters {
  private final Counter samples;
  private final Counter exemplars;
  private final Counter droppedPoints;

  MetricsExporterCounters(PrometheusRegistry registry) {
    samples = Counter.builder().name("sightline_exporter_metric_samples")
        .help("Samples the sightline exporter wrote to the metric store, by the store's answer.")
        .labelNames("exporter", "result").register(registry);
    exemplars = Counter.builder().name("sightline_exporter_exemplars")
        .help("Exemplars the sightline exporter wrote to the metric store, by the store's answer.")
        .labelNames("exporter", "result").register(registry);
    droppedPoints = Counter.builder().name("sightline_exporter_dropped_metric_points")
        .help("OTLP data points the sightline exporter could not translate into Prometheus series, by reason.")
        .labelNames("exporter", "reason").register(registry);
  }

  void record(String exporter, MetricStoreSink sink) {
    for (Appender.Outcome o : Appender.Outcome.values()) {
      add(samples, sink.samples(o), exporter, o.name().toLowerCase(Locale.ROOT));
      add(exemplars, sink.exemplars(o), exporter, o.name().toLowerCase(Locale.ROOT));
    }
    add(samples, sink.seriesLimited(), exporter, "series_limit");
    sink.dropped().forEach((DropReason reason, Long n) -> add(droppedPoints, n, exporter, reason.label()));
  }

  private static void add(Counter counter, long n, String... labels) {
    if (n > 0) {
      counter.labelValues(labels).inc(n);
    }
  }
}

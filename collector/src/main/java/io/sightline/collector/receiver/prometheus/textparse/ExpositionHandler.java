package io.sightline.collector.receiver.prometheus.textparse;

import io.sightline.core.model.Labels;

/** Receives what a parsed exposition holds, in the order it is written. */
public interface ExpositionHandler {

  /** A {@code # HELP} line, its text unescaped. */
  void help(String metricFamily, String help);

  /** A {@code # TYPE} line: counter, gauge, histogram, summary, untyped; OpenMetrics adds the others it defines. */
  void type(String metricFamily, String type);

  /** An OpenMetrics {@code # UNIT} line. */
  void unit(String metricFamily, String unit);

  /** One sample; {@code labels} include {@code __name__}; {@code timestampMs} is Long.MIN_VALUE when absent. */
  void sample(Labels labels, double value, long timestampMs);

  /** An OpenMetrics exemplar of the sample just reported; {@code timestampMs} is Long.MIN_VALUE when absent. */
  void exemplar(Labels exemplarLabels, double value, long timestampMs);
}

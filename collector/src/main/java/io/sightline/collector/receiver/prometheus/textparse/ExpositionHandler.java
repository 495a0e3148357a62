package io.sightline.collector.receiver.prometheus.textparse;

import io.sightline.core.model.Labels;

/**
 * Receives what a parsed exposition holds, in the order it is written. The strings passed may be shared with other
 * calls of the same parse; all of them are immutable.
 */
public interface ExpositionHandler {

  /** A {@code # HELP} line, its text unescaped ({@code \\} and {@code \n}; OpenMetrics also {@code \"}). */
  void help(String metricFamily, String help);

  /**
   * A {@code # TYPE} line, in lower case as written: counter, gauge, histogram, summary, and untyped in the text
   * format; unknown, gaugehistogram, stateset and info besides in OpenMetrics.
   */
  void type(String metricFamily, String type);

  /** An OpenMetrics {@code # UNIT} line; the unit may be empty. */
  void unit(String metricFamily, String unit);

  /**
   * One sample. {@code labels} include {@code __name__}; {@code timestampMs} is {@link Long#MIN_VALUE} when the line
   * has none. A NaN value always has the bits of Prometheus' normal NaN, never those of a stale marker.
   */
  void sample(Labels labels, double value, long timestampMs);

  /** An OpenMetrics exemplar of the sample just reported; {@code timestampMs} is {@link Long#MIN_VALUE} when absent. */
  void exemplar(Labels exemplarLabels, double value, long timestampMs);
}

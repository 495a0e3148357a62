package io.sightline.promql.functions;

import io.sightline.core.model.Histogram;

/**
 * What PromQL computes from one native histogram: {@code histogram_quantile}, {@code histogram_fraction},
 * {@code histogram_stddev}, {@code histogram_stdvar} (Prometheus' {@code promql/quantile.go} and functions.go).
 * {@code histogram_count}, {@code histogram_sum} and {@code histogram_avg} are read directly off the histogram.
 */
public final class NativeHistograms {
  private NativeHistograms() {}

  public static double quantile(double q, Histogram h) {
    throw new UnsupportedOperationException();
  }

  public static double fraction(double lower, double upper, Histogram h) {
    throw new UnsupportedOperationException();
  }

  public static double stdvar(Histogram h) {
    throw new UnsupportedOperationException();
  }
}

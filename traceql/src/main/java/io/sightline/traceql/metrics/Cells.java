package io.sightline.traceql.metrics;

import io.sightline.traceql.syntax.MetricsFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series' intervals as Tempo's vector aggregators fill them: counts (rate, count, and the bucket series of
 * histograms and quantiles), Kahan sums, minima, maxima and Kahan-compensated running means.
 */
final class Cells {
  private final MetricsFunction function;
  private final double[] values;
  private final double[] compensation;
  private final double[] weight;
  private final List<Exemplar> exemplars = new ArrayList<>();
  private final ExemplarBuckets exemplarBuckets;

  Cells(MetricsFunction function, int intervals, RangeRequest request) {
    this.function = function;
    this.values = new double[intervals];
    this.compensation = new double[intervals];
    this.weight = new double[intervals];
    this.exemplarBuckets = ExemplarBuckets.of(request);
    if (!counts()) {
      // NaN tells an interval without values from one whose values add up to 0.
      Arrays.fill(values, Double.NaN);
      Arrays.fill(weight, Double.NaN);
    }
  }

  private boolean counts() {
    return switch (function) {
      case RATE, COUNT_OVER_TIME, HISTOGRAM_OVER_TIME, QUANTILE_OVER_TIME -> true;
      default -> false;
    };
  }

  /**
   * Adds a span to an interval. A span without a numeric value adds nothing to sums, minima, maxima and means, as
   * Tempo's average skips it; Tempo's sum would turn the interval to NaN, which reads as no value.
   */
  void observe(int i, double v) {
    switch (function) {
      case RATE, COUNT_OVER_TIME, HISTOGRAM_OVER_TIME, QUANTILE_OVER_TIME -> values[i]++;
      case SUM_OVER_TIME -> {
        if (Double.isNaN(v)) {
          return;
        }
        if (Double.isNaN(values[i])) {
          values[i] = v;
          return;
        }
        double[] r = kahan(v - compensation[i], values[i], 0);
        values[i] = r[0];
        compensation[i] = r[1];
      }
      case MIN_OVER_TIME -> {
        if (Double.isNaN(values[i]) || v < values[i]) {
          values[i] = v;
        }
      }
      case MAX_OVER_TIME -> {
        if (Double.isNaN(values[i]) || v > values[i]) {
          values[i] = v;
        }
      }
      case AVG_OVER_TIME -> {
        if (Double.isNaN(v)) {
          return;
        }
        if (Double.isNaN(values[i])) {
          values[i] = v;
          weight[i] = 1;
          compensation[i] = 0;
          return;
        }
        weight[i]++;
        addToMean(i, v / weight[i] - values[i] / weight[i]);
      }
    }
  }

  /** Tempo's {@code averageValue.add}: infinite means stay as they are, else a Kahan-Neumaier step. */
  private void addToMean(int i, double inc) {
    if (Double.isInfinite(values[i])) {
      if (Double.isInfinite(inc) && (values[i] > 0) == (inc > 0)) {
        return;
      }
      if (!Double.isInfinite(inc) && !Double.isNaN(inc)) {
        return;
      }
    }
    double[] r = kahan(inc, values[i], compensation[i]);
    values[i] = r[0];
    compensation[i] = r[1];
  }

  /** Tempo's {@code kahanSumInc}: the new sum and the new compensation, Neumaier's variant. */
  private static double[] kahan(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    return new double[] {t, c};
  }

  void exemplar(double value, long timestampMs, List<Label> labels) {
    if (exemplarBuckets.full() || !exemplarBuckets.add(timestampMs)) {
      return;
    }
    exemplars.add(new Exemplar(labels, value, timestampMs));
  }

  List<Exemplar> exemplars() {
    return exemplars;
  }

  /** The interval values: rates are counts times the multiplier, means get their compensation added. */
  double[] values(double rateMultiplier) {
    double[] out = values.clone();
    if (function == MetricsFunction.RATE) {
      for (int i = 0; i < out.length; i++) {
        out[i] *= rateMultiplier;
      }
    } else if (function == MetricsFunction.AVG_OVER_TIME) {
      for (int i = 0; i < out.length; i++) {
        out[i] += compensation[i];
      }
    }
    return out;
  }
}

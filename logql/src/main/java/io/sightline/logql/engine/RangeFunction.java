package io.sightline.logql.engine;

import io.sightline.logql.engine.RangeAggregationEvaluator.SeriesWindow;
import io.sightline.logql.syntax.SampleExpr.RangeAggregationExpr;
import java.util.Arrays;

/** The functions of range aggregations over one series' window, as Loki's {@code range_vector.go} computes them. */
interface RangeFunction {

  /**
   * @param w the samples in {@code (rangeEnd - range, rangeEnd]}, at least one
   * @param rangeEnd the window's end, in nanoseconds
   */
  double apply(SeriesWindow w, long rangeEnd, long range);

  static RangeFunction of(RangeAggregationExpr r) throws IllegalArgumentException {
    boolean unwrapped = r.left().unwrap() != null;
    return switch (r.operation()) {
      case "count_over_time" -> (w, e, range) -> w.size();
      case "rate" -> unwrapped ? (w, e, range) -> sum(w) / seconds(range) : (w, e, range) -> w.size() / seconds(range);
      case "bytes_rate" -> (w, e, range) -> sum(w) / seconds(range);
      case "bytes_over_time", "sum_over_time" -> (w, e, range) -> sum(w);
      case "rate_counter" -> RangeFunction::rateCounter;
      case "avg_over_time" -> RangeFunction::avg;
      case "max_over_time" -> (w, e, range) -> {
        double m = w.values[w.head];
        for (int i = w.head; i < w.tail; i++) {
          if (w.values[i] > m || Double.isNaN(m)) {
            m = w.values[i];
          }
        }
        return m;
      };
      case "min_over_time" -> (w, e, range) -> {
        double m = w.values[w.head];
        for (int i = w.head; i < w.tail; i++) {
          if (w.values[i] < m || Double.isNaN(m)) {
            m = w.values[i];
          }
        }
        return m;
      };
      case "stdvar_over_time" -> (w, e, range) -> variance(w);
      case "stddev_over_time" -> (w, e, range) -> Math.sqrt(variance(w));
      case "quantile_over_time" -> {
        double q = r.parameter();
        yield (w, e, range) -> quantile(q, Arrays.copyOfRange(w.values, w.head, w.tail));
      }
      case "first_over_time" -> (w, e, range) -> w.values[w.head];
      case "last_over_time" -> (w, e, range) -> w.values[w.tail - 1];
      case "absent_over_time" -> (w, e, range) -> 1;
      default -> throw new IllegalArgumentException("unsupported range vector aggregation operation: "
          + r.operation());
    };
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double sum(SeriesWindow w) {
    double s = 0;
    for (int i = w.head; i < w.tail; i++) {
      s += w.values[i];
    }
    return s;
  }

  private static double avg(SeriesWindow w, long e, long range) {
    double mean = 0;
    double count = 0;
    for (int i = w.head; i < w.tail; i++) {
      double v = w.values[i];
      count++;
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      mean += v / count - mean / count;
    }
    return mean;
  }

  /** Welford's algorithm, as Loki's {@code stdvarOverTime}. */
  private static double variance(SeriesWindow w) {
    double aux = 0;
    double count = 0;
    double mean = 0;
    for (int i = w.head; i < w.tail; i++) {
      double v = w.values[i];
      count++;
      double delta = v - mean;
      mean += delta / count;
      aux += delta * (v - mean);
    }
    return aux / count;
  }

  /** Loki's {@code Quantile}: weighted between the two nearest ranks. */
  static double quantile(double q, double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    Arrays.sort(values);
    double n = values.length;
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }

  /** Loki's {@code extrapolatedRate} for counters: Prometheus' rate with the window's own boundaries. */
  private static double rateCounter(SeriesWindow w, long rangeEnd, long range) {
    int n = w.size();
    if (n < 2) {
      return 0;
    }
    long rangeStart = rangeEnd - range;
    double first = w.values[w.head];
    double last = w.values[w.tail - 1];
    double result = last - first;
    double lastValue = 0;
    for (int i = w.head; i < w.tail; i++) {
      if (w.values[i] < lastValue) {
        result += lastValue;
      }
      lastValue = w.values[i];
    }
    long firstTs = w.ts[w.head];
    long lastTs = w.ts[w.tail - 1];
    double toStart = (firstTs - rangeStart) / 1e9;
    double toEnd = (rangeEnd - lastTs) / 1e9;
    double sampled = (lastTs - firstTs) / 1e9;
    double avgBetween = sampled / (n - 1);
    double threshold = avgBetween * 1.1;
    if (toStart >= threshold) {
      toStart = avgBetween / 2;
    }
    double toZero = toStart;
    if (result > 0 && first >= 0) {
      toZero = sampled * (first / result);
    }
    if (toZero < toStart) {
      toStart = toZero;
    }
    if (toEnd >= threshold) {
      toEnd = avgBetween / 2;
    }
    double extrapolateTo = sampled + toStart + toEnd;
    result = result * (extrapolateTo / sampled);
    return result / seconds(range);
  }
}

package io.sightline.promql.functions;

import io.sightline.core.model.Histogram;
import io.sightline.promql.engine.Annotations;

/**
 * The functions over a range vector for windows that hold native histograms, alone or mixed with floats, as
 * Prometheus 3 treats them ({@code promql/functions.go}): rates of histograms with counter resets, sums and averages
 * of histograms, the first and last sample whichever kind, counts; functions of floats ignore the histograms with an
 * info, and those that cannot mix the kinds give no result and a warning. Float-only windows are
 * {@link FloatWindows}' job.
 */
public final class RangeFunctions {
  private RangeFunctions() {}

  /**
   * Computes {@code function} over {@code window} into {@code out}. {@code scalars} holds the function's scalar
   * arguments at this step in argument order (e.g. {@code predict_linear}'s t, {@code quantile_over_time}'s q).
   */
  public static void eval(String function, Window window, double[] scalars, Output out, Annotations annotations) {
    int floats = window.floatCount;
    int histograms = window.histogramCount;
    if (histograms == 0) {
      FloatWindows.eval(function, window, scalars, window.evalTime, out, annotations);
      return;
    }
    String name = metricName(window);
    switch (function) {
      case "count_over_time" -> out.setFloat(floats + histograms);
      case "present_over_time", "absent_over_time" -> out.setFloat(1);
      case "last_over_time" -> {
        long th = window.histogramTimes[histograms - 1];
        if (floats > 0 && window.floatTimes[floats - 1] > th) {
          out.setFloat(window.floatValues[floats - 1]);
        } else {
          out.setHistogram(window.histograms[histograms - 1]);
        }
      }
      case "first_over_time" -> {
        long th = window.histogramTimes[0];
        if (floats > 0 && window.floatTimes[0] < th) {
          out.setFloat(window.floatValues[0]);
        } else {
          out.setHistogram(window.histograms[0]);
        }
      }
      case "ts_of_last_over_time" -> out.setFloat(Math.max(window.histogramTimes[histograms - 1],
          floats > 0 ? window.floatTimes[floats - 1] : Long.MIN_VALUE) / 1000.0);
      case "ts_of_first_over_time" -> out.setFloat(Math.min(window.histogramTimes[0],
          floats > 0 ? window.floatTimes[0] : Long.MAX_VALUE) / 1000.0);
      case "rate", "increase", "delta" -> {
        if (floats > 0) {
          annotations.warn("encountered a mix of histograms and floats for metric name " + quote(name));
          return;
        }
        histogramRate(window, !function.equals("delta"), function.equals("rate"), out, annotations, name);
      }
      case "irate", "idelta" -> instant(window, function.equals("irate"), out, annotations, name);
      case "sum_over_time", "avg_over_time" -> {
        if (floats > 0) {
          annotations.warn("encountered a mix of histograms and floats for metric name " + quote(name));
          return;
        }
        try {
          Histogram sum = window.histograms[0];
          for (int i = 1; i < histograms; i++) {
            sum = HistogramArithmetic.add(sum, window.histograms[i]);
          }
          out.setHistogram(function.equals("sum_over_time") ? sum : HistogramArithmetic.scale(sum, 1.0 / histograms));
        } catch (HistogramArithmetic.IncompatibleException e) {
          annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for "
              + "metric name " + quote(name));
        }
      }
      case "changes", "resets" -> changesOrResets(window, function.equals("changes"), out);
      default -> {
        // Functions of floats: the histograms are left out, with an info when floats remain.
        if (floats == 0) {
          return;
        }
        annotations.info("ignored histograms in a range containing both floats and histograms for metric name "
            + quote(name));
        FloatWindows.eval(function, window, scalars, window.evalTime, out, annotations);
      }
    }
  }

  private static String metricName(Window w) {
    return w.labels == null ? "" : w.labels.metricName();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * The increase of a histogram counter (or the change of a gauge histogram) over the window, corrected for resets
   * and extrapolated like a float rate, with the observation count standing in for the value.
   */
  private static void histogramRate(Window w, boolean counter, boolean rate, Output out, Annotations annotations,
      String name) {
    int n = w.histogramCount;
    if (n < 2) {
      return;
    }
    Histogram first = w.histograms[0];
    Histogram last = w.histograms[n - 1];
    Histogram base = first;
    // A reset right after the first sample (a change between exponential and custom buckets is one) means the first
    // sample says nothing about the increase: count from an empty histogram of the second's kind, as Prometheus does.
    if (counter && isReset(w.histograms[1], first)) {
      base = empty(w.histograms[1]);
    }
    for (int i = 0; i < n; i++) {
      Histogram h = w.histograms[i];
      if (i > 0 && h.usesCustomBuckets() != base.usesCustomBuckets()) {
        annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for "
            + "metric name " + quote(name));
        return;
      }
      boolean gauge = h.resetHint() == Histogram.ResetHint.GAUGE;
      if (counter && gauge) {
        annotations.warn("this native histogram metric is not a counter: " + quote(name));
      } else if (!counter && !gauge) {
        annotations.warn("this native histogram metric is not a gauge: " + quote(name));
      }
    }
    Histogram result;
    try {
      result = HistogramArithmetic.subtract(last, base);
      if (counter) {
        Histogram previous = base;
        for (int i = 1; i < n; i++) {
          if (isReset(w.histograms[i], previous)) {
            result = HistogramArithmetic.add(result, previous);
          }
          previous = w.histograms[i];
        }
      }
    } catch (HistogramArithmetic.IncompatibleException e) {
      annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for "
          + "metric name " + quote(name));
      return;
    }
    double factor = FloatWindows.extrapolation(w.histogramTimes, n, w.evalTime, w.rangeMs, counter, first.count(),
        result.count(), rate);
    out.setHistogram(gauge(HistogramArithmetic.scale(result, factor)));
  }

  /** A histogram with no observations, of {@code like}'s schema and custom bounds. */
  private static Histogram empty(Histogram like) {
    double[] custom = new double[like.customValueCount()];
    for (int i = 0; i < custom.length; i++) {
      custom[i] = like.customValue(i);
    }
    double[] none = new double[0];
    return new Histogram(Histogram.ResetHint.UNKNOWN, like.schema(), 0, 0, 0, 0, java.util.List.of(), none,
        java.util.List.of(), none, custom);
  }

  private static Histogram gauge(Histogram h) {
    return h.resetHint() == Histogram.ResetHint.GAUGE ? h : HistogramArithmetic.withHint(h, Histogram.ResetHint.GAUGE);
  }

  /** Whether {@code h} follows a counter reset after {@code previous}: its hint says so, or some count went down. */
  static boolean isReset(Histogram h, Histogram previous) {
    switch (h.resetHint()) {
      case YES -> {
        return true;
      }
      case NO, GAUGE -> {
        return false;
      }
      default -> { }
    }
    if (h.count() < previous.count() || h.usesCustomBuckets() != previous.usesCustomBuckets()
        || h.schema() > previous.schema() || h.zeroThreshold() < previous.zeroThreshold()) {
      return true;
    }
    try {
      return HistogramArithmetic.anyNegative(HistogramArithmetic.subtract(h, previous));
    } catch (HistogramArithmetic.IncompatibleException e) {
      return true;
    }
  }

  private static void instant(Window w, boolean rate, Output out, Annotations annotations, String name) {
    int floats = w.floatCount;
    int histograms = w.histogramCount;
    if (floats + histograms < 2) {
      return;
    }
    // The last two samples, whichever kind.
    long[] times = new long[2];
    Object[] values = new Object[2];
    int fi = floats - 1;
    int hi = histograms - 1;
    for (int k = 1; k >= 0; k--) {
      if (hi >= 0 && (fi < 0 || w.histogramTimes[hi] > w.floatTimes[fi])) {
        times[k] = w.histogramTimes[hi];
        values[k] = w.histograms[hi--];
      } else {
        times[k] = w.floatTimes[fi];
        values[k] = w.floatValues[fi--];
      }
    }
    if (!(values[0] instanceof Histogram previous) || !(values[1] instanceof Histogram last)) {
      if (values[0] instanceof Histogram || values[1] instanceof Histogram) {
        annotations.warn("encountered a mix of histograms and floats for metric name " + quote(name));
        return;
      }
      double a = (Double) values[0];
      double b = (Double) values[1];
      double result = rate && b < a ? b : b - a;
      long interval = times[1] - times[0];
      if (interval != 0) {
        out.setFloat(rate ? result / (interval / 1000.0) : result);
      }
      return;
    }
    long interval = times[1] - times[0];
    if (interval == 0) {
      return;
    }
    boolean gauges = previous.resetHint() == Histogram.ResetHint.GAUGE || last.resetHint() == Histogram.ResetHint.GAUGE;
    if (rate && gauges) {
      annotations.warn("this native histogram metric is not a counter: " + quote(name));
    }
    if (!rate && (previous.resetHint() != Histogram.ResetHint.GAUGE || last.resetHint() != Histogram.ResetHint.GAUGE)) {
      annotations.warn("this native histogram metric is not a gauge: " + quote(name));
    }
    try {
      Histogram result = rate && isReset(last, previous) ? last : HistogramArithmetic.subtract(last, previous);
      if (rate) {
        result = HistogramArithmetic.scale(result, 1000.0 / interval);
      }
      out.setHistogram(gauge(result));
    } catch (HistogramArithmetic.IncompatibleException e) {
      annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for "
          + "metric name " + quote(name));
    }
  }

  private static void changesOrResets(Window w, boolean changes, Output out) {
    int floats = w.floatCount;
    int histograms = w.histogramCount;
    int fi = 0;
    int hi = 0;
    Object previous = null;
    int count = 0;
    while (fi < floats || hi < histograms) {
      Object current;
      if (hi >= histograms || fi < floats && w.floatTimes[fi] < w.histogramTimes[hi]) {
        current = w.floatValues[fi++];
      } else {
        current = w.histograms[hi++];
      }
      if (previous != null) {
        if (changes) {
          if (previous instanceof Double a && current instanceof Double b) {
            if (!a.equals(b) && !(a.isNaN() && b.isNaN()) && a.doubleValue() != b.doubleValue()) {
              count++;
            }
          } else if (previous instanceof Histogram a && current instanceof Histogram b) {
            if (!a.sameValue(b)) {
              count++;
            }
          } else {
            count++;
          }
        } else {
          if (previous instanceof Double a && current instanceof Double b) {
            if (b < a) {
              count++;
            }
          } else if (previous instanceof Histogram a && current instanceof Histogram b) {
            if (isReset(b, a)) {
              count++;
            }
          } else {
            count++;
          }
        }
      }
      previous = current;
    }
    out.setFloat(count);
  }
}

package io.sightline.promql.functions;

import io.sightline.promql.engine.Annotations;
import java.util.Arrays;

/**
 * The range-vector functions over windows of float samples, as Prometheus 3 computes them
 * ({@code promql/functions.go}): extrapolated rates with counter-reset correction, the {@code *_over_time} family with
 * Kahan-compensated sums, regressions, and smoothing. Windows that hold native histograms go to
 * {@link RangeFunctions}.
 */
public final class FloatWindows {
  private FloatWindows() {}

  /** Whether this class computes {@code function} for a float-only window. */
  public static boolean handles(String function) {
    return switch (function) {
      case "rate", "increase", "delta", "irate", "idelta", "changes", "resets", "deriv", "predict_linear",
          "double_exponential_smoothing", "avg_over_time", "sum_over_time", "count_over_time", "min_over_time",
          "max_over_time", "last_over_time", "first_over_time", "present_over_time", "absent_over_time",
          "quantile_over_time", "stddev_over_time", "stdvar_over_time", "mad_over_time", "ts_of_min_over_time",
          "ts_of_max_over_time", "ts_of_last_over_time", "ts_of_first_over_time" -> true;
      default -> false;
    };
  }

  /**
   * Computes {@code function} over the floats of {@code w} into {@code out}; {@code stepTime} is the step's time (the
   * window's end plus the selector's offset), where {@code predict_linear} anchors its line.
   *
   * @throws IllegalArgumentException with Prometheus' message for invalid arguments
   */
  public static void eval(String function, Window w, double[] scalars, long stepTime, Output out,
      Annotations annotations) {
    int n = w.floatCount;
    long[] t = w.floatTimes;
    double[] v = w.floatValues;
    switch (function) {
      case "present_over_time", "absent_over_time" -> out.setFloat(1);
      case "count_over_time" -> out.setFloat(n);
      case "last_over_time" -> out.setFloat(v[n - 1]);
      case "first_over_time" -> out.setFloat(v[0]);
      case "ts_of_last_over_time" -> out.setFloat(t[n - 1] / 1000.0);
      case "ts_of_first_over_time" -> out.setFloat(t[0] / 1000.0);
      case "rate" -> extrapolatedRate(w, true, true, out);
      case "increase" -> extrapolatedRate(w, true, false, out);
      case "delta" -> extrapolatedRate(w, false, false, out);
      case "irate" -> instantValue(w, true, out);
      case "idelta" -> instantValue(w, false, out);
      case "changes" -> {
        int changes = 0;
        for (int i = 1; i < n; i++) {
          if (!(Double.isNaN(v[i]) && Double.isNaN(v[i - 1])) && v[i] != v[i - 1]) {
            changes++;
          }
        }
        out.setFloat(changes);
      }
      case "resets" -> {
        int resets = 0;
        for (int i = 1; i < n; i++) {
          if (v[i] < v[i - 1]) {
            resets++;
          }
        }
        out.setFloat(resets);
      }
      case "deriv" -> {
        if (n >= 2) {
          out.setFloat(linearRegression(t, v, n, t[0])[0]);
        }
      }
      case "predict_linear" -> {
        if (n >= 2) {
          double[] line = linearRegression(t, v, n, stepTime);
          out.setFloat(line[0] * scalars[0] + line[1]);
        }
      }
      case "double_exponential_smoothing" -> smoothing(w, scalars[0], scalars[1], out);
      case "sum_over_time" -> {
        double sum = 0;
        double c = 0;
        for (int i = 0; i < n; i++) {
          double next = sum + v[i];
          c = kahanCompensation(v[i], sum, next, c);
          sum = next;
        }
        out.setFloat(sum + c);
      }
      case "avg_over_time" -> out.setFloat(average(v, n));
      case "min_over_time" -> out.setFloat(compare(v, n, true));
      case "max_over_time" -> out.setFloat(compare(v, n, false));
      case "ts_of_min_over_time" -> out.setFloat(timeOfExtreme(t, v, n, true) / 1000.0);
      case "ts_of_max_over_time" -> out.setFloat(timeOfExtreme(t, v, n, false) / 1000.0);
      case "quantile_over_time" -> out.setFloat(quantile(scalars[0], Arrays.copyOf(v, n)));
      case "stdvar_over_time" -> out.setFloat(variance(v, n));
      case "stddev_over_time" -> out.setFloat(Math.sqrt(variance(v, n)));
      case "mad_over_time" -> {
        double[] values = Arrays.copyOf(v, n);
        for (double x : values) {
          if (Double.isNaN(x)) {
            out.setFloat(Double.NaN);
            return;
          }
        }
        double median = quantile(0.5, values.clone());
        for (int i = 0; i < n; i++) {
          values[i] = Math.abs(values[i] - median);
        }
        out.setFloat(quantile(0.5, values));
      }
      default -> throw new IllegalStateException(function);
    }
  }

  /**
   * {@code rate}, {@code increase} and {@code delta}: the change over the samples in the window, corrected for
   * counter resets, and extrapolated towards the window's edges, but not further than half an average interval past
   * the outer samples when they are far from the edge, and for counters not below zero.
   */
  private static void extrapolatedRate(Window w, boolean counter, boolean rate, Output out) {
    int n = w.floatCount;
    if (n < 2) {
      return;
    }
    long[] t = w.floatTimes;
    double[] v = w.floatValues;
    double result = v[n - 1] - v[0];
    if (counter) {
      for (int i = 1; i < n; i++) {
        if (v[i] < v[i - 1]) {
          result += v[i - 1];
        }
      }
    }
    double factor = extrapolation(t, n, w.evalTime, w.rangeMs, counter, v[0], result, rate);
    out.setFloat(result * factor);
  }

  /**
   * What a change over samples at {@code t[0..n)} is multiplied by to cover the window {@code (evalTime − range,
   * evalTime]}: extended by the gaps to its edges, but by no more than half an average interval where a gap is longer
   * than 1.1 intervals, and for counters ({@code first} and {@code result} are the first value and the change) not
   * back past where the counter would have been zero; per second for rates. Shared by floats and histograms, whose
   * count stands in for the value.
   */
  static double extrapolation(long[] t, int n, long evalTime, long rangeMs, boolean counter, double first,
      double result, boolean rate) {
    double durationToStart = (t[0] - (evalTime - rangeMs)) / 1000.0;
    double durationToEnd = (evalTime - t[n - 1]) / 1000.0;
    double sampledInterval = (t[n - 1] - t[0]) / 1000.0;
    double averageInterval = sampledInterval / (n - 1);
    double threshold = averageInterval * 1.1;
    if (durationToStart >= threshold) {
      durationToStart = averageInterval / 2;
    }
    if (counter) {
      double durationToZero = durationToStart;
      if (result > 0 && first >= 0) {
        durationToZero = sampledInterval * (first / result);
      }
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = averageInterval / 2;
    }
    double factor = sampledInterval == 0 ? 1 : (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    return rate ? factor / (rangeMs / 1000.0) : factor;
  }

  /** {@code irate} and {@code idelta}: from the last two samples only. */
  private static void instantValue(Window w, boolean rate, Output out) {
    int n = w.floatCount;
    if (n < 2) {
      return;
    }
    double last = w.floatValues[n - 1];
    double previous = w.floatValues[n - 2];
    double result = rate && last < previous ? last : last - previous;
    long interval = w.floatTimes[n - 1] - w.floatTimes[n - 2];
    if (interval == 0) {
      return;
    }
    if (rate) {
      result /= interval / 1000.0;
    }
    out.setFloat(result);
  }

  private static void smoothing(Window w, double sf, double tf, Output out) {
    if (sf <= 0 || sf >= 1) {
      throw new IllegalArgumentException("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goF(sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw new IllegalArgumentException("invalid trend factor. Expected: 0 < tf < 1, got: " + goF(tf));
    }
    int n = w.floatCount;
    if (n < 2) {
      return;
    }
    double[] v = w.floatValues;
    double s0 = 0;
    double s1 = v[0];
    double b = v[1] - v[0];
    for (int i = 1; i < n; i++) {
      double x = sf * v[i];
      if (i > 1) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    out.setFloat(s1);
  }

  /** Go's {@code %f}: six decimals. */
  private static String goF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(java.util.Locale.ROOT, "%.6f", v);
  }

  /** Least squares with Kahan-compensated sums; x in seconds relative to {@code interceptTime}. */
  static double[] linearRegression(long[] t, double[] v, int n, long interceptTime) {
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double initY = v[0];
    boolean constY = true;
    for (int i = 0; i < n; i++) {
      if (constY && i > 0 && v[i] != initY) {
        constY = false;
      }
      double x = (t[i] - interceptTime) / 1e3;
      double next = sumX + x;
      cX = kahanCompensation(x, sumX, next, cX);
      sumX = next;
      next = sumY + v[i];
      cY = kahanCompensation(v[i], sumY, next, cY);
      sumY = next;
      double xy = x * v[i];
      next = sumXY + xy;
      cXY = kahanCompensation(xy, sumXY, next, cXY);
      sumXY = next;
      double x2 = x * x;
      next = sumX2 + x2;
      cX2 = kahanCompensation(x2, sumX2, next, cX2);
      sumX2 = next;
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }

  /** The compensation after {@code sum + inc = next} (Kahan-Neumaier, Prometheus' {@code kahansum.Inc}). */
  static double kahanCompensation(double inc, double sum, double next, double c) {
    if (Double.isInfinite(next)) {
      return 0;
    }
    if (Math.abs(sum) >= Math.abs(inc)) {
      return c + ((sum - next) + inc);
    }
    return c + ((inc - next) + sum);
  }

  /** Kahan-summed mean, falling back to an incremental mean when the sum would overflow. */
  private static double average(double[] v, int n) {
    double sum = v[0];
    double c = 0;
    double mean = 0;
    boolean incremental = false;
    for (int i = 1; i < n; i++) {
      double count = i + 1;
      if (!incremental) {
        double next = sum + v[i];
        if (!Double.isInfinite(next)) {
          c = kahanCompensation(v[i], sum, next, c);
          sum = next;
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        c /= count - 1;
      }
      double q = (count - 1) / count;
      double inc = v[i] / count;
      double base = q * mean;
      double next = base + inc;
      c = kahanCompensation(inc, base, next, q * c);
      mean = next;
    }
    return incremental ? mean + c : sum / n + c / n;
  }

  /** {@code min_over_time} and {@code max_over_time}: NaN only when every value is NaN. */
  private static double compare(double[] v, int n, boolean min) {
    double best = v[0];
    for (int i = 0; i < n; i++) {
      if ((min ? v[i] < best : v[i] > best) || Double.isNaN(best)) {
        best = v[i];
      }
    }
    return best;
  }

  /** The time of the last minimum or maximum (Prometheus compares with {@code <=} and {@code >=}). */
  private static long timeOfExtreme(long[] t, double[] v, int n, boolean min) {
    double best = v[0];
    long at = t[0];
    for (int i = 0; i < n; i++) {
      if ((min ? v[i] <= best : v[i] >= best) || Double.isNaN(best)) {
        best = v[i];
        at = t[i];
      }
    }
    return at;
  }

  private static double variance(double[] v, int n) {
    double count = 0;
    double mean = 0;
    double cMean = 0;
    double aux = 0;
    double cAux = 0;
    for (int i = 0; i < n; i++) {
      count++;
      double delta = v[i] - (mean + cMean);
      double inc = delta / count;
      double next = mean + inc;
      cMean = kahanCompensation(inc, mean, next, cMean);
      mean = next;
      double incAux = delta * (v[i] - (mean + cMean));
      next = aux + incAux;
      cAux = kahanCompensation(incAux, aux, next, cAux);
      aux = next;
    }
    return (aux + cAux) / count;
  }

  /** Prometheus' {@code quantile}: linear interpolation between closest ranks; NaN sorts first. */
  static double quantile(double q, double[] values) {
    int n = values.length;
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    Double[] boxed = new Double[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = values[i];
    }
    Arrays.sort(boxed, (a, b) -> a.isNaN() ? (b.isNaN() ? 0 : -1) : b.isNaN() ? 1 : Double.compare(a, b));
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return boxed[(int) lower] * (1 - weight) + boxed[(int) upper] * weight;
  }
}

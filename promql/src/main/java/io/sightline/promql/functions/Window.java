package io.sightline.promql.functions;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;

/**
 * One series' samples in a range window {@code (evalTime − range, evalTime]}, oldest first, floats and histograms
 * apart as Prometheus keeps them ({@code FPoint}s and {@code HPoint}s). The evaluator refills one instance per series
 * and step, so the arrays may be longer than the counts.
 */
public final class Window {
  public Labels labels;
  /** The step's time, the window's inclusive end, in milliseconds. */
  public long evalTime;
  /** The window's length in milliseconds: the selector's range (or the subquery's). */
  public long rangeMs;

  public long[] floatTimes = new long[16];
  public double[] floatValues = new double[16];
  public int floatCount;

  public long[] histogramTimes = new long[4];
  public Histogram[] histograms = new Histogram[4];
  public int histogramCount;

  /** Empties the window for the next step, keeping the arrays. */
  public void clear() {
    floatCount = 0;
    histogramCount = 0;
  }

  public void addFloat(long t, double v) {
    if (floatCount == floatTimes.length) {
      floatTimes = java.util.Arrays.copyOf(floatTimes, floatCount * 2);
      floatValues = java.util.Arrays.copyOf(floatValues, floatCount * 2);
    }
    floatTimes[floatCount] = t;
    floatValues[floatCount++] = v;
  }

  /** Appends {@code n} float samples from {@code from} in the given arrays, in one copy. */
  public void addFloats(long[] times, double[] values, int from, int n) {
    if (floatCount + n > floatTimes.length) {
      int capacity = Math.max(floatCount + n, floatTimes.length * 2);
      floatTimes = java.util.Arrays.copyOf(floatTimes, capacity);
      floatValues = java.util.Arrays.copyOf(floatValues, capacity);
    }
    System.arraycopy(times, from, floatTimes, floatCount, n);
    System.arraycopy(values, from, floatValues, floatCount, n);
    floatCount += n;
  }

  public void addHistogram(long t, Histogram h) {
    if (histogramCount == histogramTimes.length) {
      histogramTimes = java.util.Arrays.copyOf(histogramTimes, histogramCount * 2);
      histograms = java.util.Arrays.copyOf(histograms, histogramCount * 2);
    }
    histogramTimes[histogramCount] = t;
    histograms[histogramCount++] = h;
  }

  public boolean isEmpty() {
    return floatCount == 0 && histogramCount == 0;
  }
}

package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.util.Arrays;

/**
 * One series of an evaluated expression: its points at some of the query's steps, in time order. Scalars are one
 * series without labels that has a point at every step. {@code dropName} is Prometheus 3's delayed name removal: a
 * function that changes the meaning of a value marks the series, and {@code __name__} goes at the very end, so that
 * {@code label_replace} and friends can still read it.
 */
final class Steps {
  Labels labels;
  boolean dropName;
  long[] times;
  double[] values;
  Histogram[] histograms; // null while every point is a float
  int count;
  /** Where {@link #takeAt} is: the steps are consumed in order. */
  private int cursor;

  Steps(Labels labels, boolean dropName, int capacity) {
    this.labels = labels;
    this.dropName = dropName;
    int c = Math.max(1, capacity);
    this.times = new long[c];
    this.values = new double[c];
  }

  void add(long t, double v, Histogram h) {
    if (count == times.length) {
      times = Arrays.copyOf(times, count * 2);
      values = Arrays.copyOf(values, count * 2);
      if (histograms != null) {
        histograms = Arrays.copyOf(histograms, count * 2);
      }
    }
    if (h != null && histograms == null) {
      histograms = new Histogram[times.length];
    }
    times[count] = t;
    values[count] = v;
    if (histograms != null) {
      histograms[count] = h;
    }
    count++;
  }

  Histogram histogram(int i) {
    return histograms == null ? null : histograms[i];
  }

  /** The point at step time {@code t}, moving past it, or -1 when the series has none there. */
  int takeAt(long t) {
    while (cursor < count && times[cursor] < t) {
      cursor++;
    }
    if (cursor < count && times[cursor] == t) {
      return cursor++;
    }
    return -1;
  }

  void rewind() {
    cursor = 0;
  }
}

package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;

/**
 * One element of an instant vector: a series' labels and its value at {@code timestamp}, a float or, when
 * {@code histogram} is not null, a native histogram.
 */
public record Sample(Labels labels, long timestamp, double value, Histogram histogram) {

  public static Sample ofFloat(Labels labels, long timestamp, double value) {
    return new Sample(labels, timestamp, value, null);
  }

  public boolean isHistogram() {
    return histogram != null;
  }
}

package io.sightline.metricstore;

import io.sightline.core.model.Histogram;

/**
 * Walks samples without an object per float sample: call {@link #next()}, then read the current sample. A sample is
 * a float or, in a series that holds native histograms, a histogram.
 */
public interface SampleIterator {

  boolean next();

  long timestamp();

  /** The current float sample's value; NaN when the current sample is a histogram. */
  double value();

  /** The current sample's histogram, or null when it is a float sample. */
  default Histogram histogram() {
    return null;
  }
}

package io.sightline.metricstore;

/** Walks samples without an object per sample: call {@link #next()}, then read the current sample. */
public interface SampleIterator {

  boolean next();

  long timestamp();

  double value();
}

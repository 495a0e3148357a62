package io.sightline.metricstore;

import io.sightline.core.model.Labels;

/** One series of a query result. */
public interface Series {

  Labels labels();

  /** Its samples in {@code [minT, maxT]}, oldest first. */
  SampleIterator iterator(long minT, long maxT);
}

package io.sightline.promql.functions;

import io.sightline.core.model.Histogram;

/** Where a function puts its one result, a float or a histogram, or nothing (then {@link #present} stays false). */
public final class Output {
  public boolean present;
  public double value;
  public Histogram histogram;

  public void reset() {
    present = false;
    value = 0;
    histogram = null;
  }

  public void setFloat(double v) {
    present = true;
    value = v;
    histogram = null;
  }

  public void setHistogram(Histogram h) {
    present = true;
    value = 0;
    histogram = h;
  }
}

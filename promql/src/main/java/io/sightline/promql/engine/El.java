package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;

/** One element of an instant vector while the evaluator works on a step: a float or a histogram. */
record El(Labels labels, double value, Histogram histogram, boolean dropName) {

  El withValue(double v) {
    return new El(labels, v, null, dropName);
  }

  El withLabels(Labels l) {
    return new El(l, value, histogram, dropName);
  }

  El droppingName() {
    return new El(labels, value, histogram, true);
  }
}

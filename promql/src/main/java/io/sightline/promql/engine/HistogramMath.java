package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;

/** Arithmetic on native histograms that operators need. */
final class HistogramMath {
  private HistogramMath() {}

  /** Every count and the sum multiplied by {@code factor}; a negative factor makes a gauge histogram. */
  static Histogram scale(Histogram h, double factor) {
    double[] pos = new double[h.positiveBucketCount()];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = h.positiveCount(i) * factor;
    }
    double[] neg = new double[h.negativeBucketCount()];
    for (int i = 0; i < neg.length; i++) {
      neg[i] = h.negativeCount(i) * factor;
    }
    double[] custom = new double[h.customValueCount()];
    for (int i = 0; i < custom.length; i++) {
      custom[i] = h.customValue(i);
    }
    return new Histogram(factor < 0 ? Histogram.ResetHint.GAUGE : h.resetHint(), h.schema(), h.zeroThreshold(),
        h.zeroCount() * factor, h.count() * factor, h.sum() * factor, h.positiveSpans(), pos, h.negativeSpans(), neg,
        custom);
  }
}

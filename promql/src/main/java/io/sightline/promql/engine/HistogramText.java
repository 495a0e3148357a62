package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.promql.functions.NativeHistograms;

/**
 * A native histogram as Prometheus' {@code FloatHistogram.String()} writes it, which {@code count_values} uses as a
 * label value: {@code {count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (0.5,1]:1}}, empty buckets left out.
 */
final class HistogramText {
  private HistogramText() {}

  static String of(Histogram h) {
    StringBuilder sb = new StringBuilder("{count:").append(Go.g(h.count())).append(", sum:").append(Go.g(h.sum()));
    for (NativeHistograms.Bucket b : NativeHistograms.buckets(h)) {
      if (b.count() != 0) {
        sb.append(", ").append(b.lower() < 0 ? "[" : "(").append(Go.g(b.lower())).append(',').append(Go.g(b.upper()))
            .append(b.upper() > 0 ? "]" : ")").append(':').append(Go.g(b.count()));
      }
    }
    return sb.append('}').toString();
  }
}

package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * A native histogram as Prometheus' {@code FloatHistogram.String()} writes it, which {@code count_values} uses as a
 * label value: {@code {count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (0.5,1]:1}}, empty buckets left out.
 */
final class HistogramText {
  private HistogramText() {}

  static String of(Histogram h) {
    StringBuilder sb = new StringBuilder("{count:").append(Go.g(h.count())).append(", sum:").append(Go.g(h.sum()));
    List<String> negative = new ArrayList<>();
    forEach(h.negativeSpans(), h.negativeBucketCount(), (index, at) -> {
      double count = h.negativeCount(at);
      if (count != 0) {
        negative.add(bucket(-bound(h, index), -bound(h, index - 1), count));
      }
    });
    for (int i = negative.size() - 1; i >= 0; i--) {
      sb.append(", ").append(negative.get(i));
    }
    if (h.zeroCount() != 0) {
      sb.append(", ").append(bucket(-h.zeroThreshold(), h.zeroThreshold(), h.zeroCount()));
    }
    forEach(h.positiveSpans(), h.positiveBucketCount(), (index, at) -> {
      double count = h.positiveCount(at);
      if (count != 0) {
        sb.append(", ").append(bucket(bound(h, index - 1), bound(h, index), count));
      }
    });
    return sb.append('}').toString();
  }

  private interface BucketAt {
    void accept(int index, int at);
  }

  private static void forEach(List<Histogram.Span> spans, int n, BucketAt visitor) {
    int index = 0;
    int at = 0;
    for (Histogram.Span s : spans) {
      index += s.offset();
      for (int j = 0; j < s.length() && at < n; j++, index++, at++) {
        visitor.accept(index, at);
      }
    }
  }

  private static double bound(Histogram h, int index) {
    if (h.usesCustomBuckets()) {
      if (index < 0) {
        return Double.NEGATIVE_INFINITY;
      }
      return index >= h.customValueCount() ? Double.POSITIVE_INFINITY : h.customValue(index);
    }
    return Histogram.exponentialBound(index, h.schema());
  }

  private static String bucket(double lower, double upper, double count) {
    return (lower < 0 ? "[" : "(") + Go.g(lower) + "," + Go.g(upper) + (upper > 0 ? "]" : ")") + ":" + Go.g(count);
  }
}

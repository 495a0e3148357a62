package io.sightline.promql.functions;

import io.sightline.core.model.Histogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adding and subtracting native histograms, as Prometheus' {@code FloatHistogram.Add}/{@code Sub}: the result has
 * the coarser of the two schemas (finer buckets merge into the coarser ones that contain them) and the wider zero
 * bucket (buckets below it merge into it). Custom-bucket histograms add only when their bounds are the same.
 * Results keep no empty buckets, which is what Prometheus' {@code Compact(0)} leaves.
 */
public final class HistogramArithmetic {
  private HistogramArithmetic() {}

  /** Thrown for histograms that cannot be combined: exponential with custom buckets, or different custom bounds. */
  public static final class IncompatibleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IncompatibleException(String message) {
      super(message);
    }
  }

  public static Histogram add(Histogram a, Histogram b) {
    return combine(a, b, 1);
  }

  public static Histogram subtract(Histogram a, Histogram b) {
    return combine(a, b, -1);
  }

  /** Every count and the sum multiplied by {@code factor}. */
  public static Histogram scale(Histogram h, double factor) {
    Sparse s = Sparse.of(h, h.schema());
    s.positive.replaceAll((k, v) -> v * factor);
    s.negative.replaceAll((k, v) -> v * factor);
    return s.toHistogram(h.resetHint(), h.zeroThreshold(), h.zeroCount() * factor, h.count() * factor,
        h.sum() * factor, customValues(h));
  }

  /** The same histogram with another counter reset hint. */
  public static Histogram withHint(Histogram h, Histogram.ResetHint hint) {
    Sparse s = Sparse.of(h, h.schema());
    return s.toHistogram(hint, h.zeroThreshold(), h.zeroCount(), h.count(), h.sum(), customValues(h));
  }

  /** Whether any bucket or the zero bucket holds a negative count: how a difference shows a counter reset. */
  public static boolean anyNegative(Histogram h) {
    if (h.zeroCount() < 0) {
      return true;
    }
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      if (h.positiveCount(i) < 0) {
        return true;
      }
    }
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      if (h.negativeCount(i) < 0) {
        return true;
      }
    }
    return false;
  }

  private static Histogram combine(Histogram a, Histogram b, double sign) {
    if (a.usesCustomBuckets() != b.usesCustomBuckets()) {
      throw new IncompatibleException("histograms with exponential and custom buckets cannot be combined");
    }
    if (a.usesCustomBuckets()) {
      if (!java.util.Arrays.equals(customValues(a), customValues(b))) {
        throw new IncompatibleException("histograms with different custom buckets cannot be combined");
      }
      Sparse sa = Sparse.of(a, a.schema());
      Sparse sb = Sparse.of(b, b.schema());
      sb.positive.forEach((k, v) -> sa.positive.merge(k, sign * v, Double::sum));
      return sa.toHistogram(a.resetHint(), 0, 0, a.count() + sign * b.count(), a.sum() + sign * b.sum(),
          customValues(a));
    }
    int schema = Math.min(a.schema(), b.schema());
    Sparse sa = Sparse.of(a, schema);
    Sparse sb = Sparse.of(b, schema);
    double threshold = Math.max(a.zeroThreshold(), b.zeroThreshold());
    // Widening the zero bucket may land its edge inside a populated bucket: then the edge moves to that bucket's
    // upper bound, which may reach further buckets; repeat until it settles.
    double settled;
    do {
      settled = threshold;
      threshold = sa.widenedThreshold(threshold, schema);
      threshold = sb.widenedThreshold(threshold, schema);
    } while (threshold != settled);
    double zeroA = a.zeroCount() + sa.mergeBelow(threshold, schema);
    double zeroB = b.zeroCount() + sb.mergeBelow(threshold, schema);
    sb.positive.forEach((k, v) -> sa.positive.merge(k, sign * v, Double::sum));
    sb.negative.forEach((k, v) -> sa.negative.merge(k, sign * v, Double::sum));
    Histogram.ResetHint hint = a.resetHint() == Histogram.ResetHint.GAUGE || b.resetHint() == Histogram.ResetHint.GAUGE
        || sign < 0 ? Histogram.ResetHint.GAUGE : a.resetHint();
    return sa.toHistogram(hint, threshold, zeroA + sign * zeroB, a.count() + sign * b.count(),
        a.sum() + sign * b.sum(), null);
  }

  private static double[] customValues(Histogram h) {
    double[] out = new double[h.customValueCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = h.customValue(i);
    }
    return out;
  }

  /** Buckets by index, on one schema. */
  private record Sparse(int schema, TreeMap<Integer, Double> positive, TreeMap<Integer, Double> negative) {

    static Sparse of(Histogram h, int schema) {
      Sparse s = new Sparse(schema, new TreeMap<>(), new TreeMap<>());
      int shift = h.usesCustomBuckets() ? 0 : h.schema() - schema;
      collect(h.positiveSpans(), h::positiveCount, shift, s.positive);
      collect(h.negativeSpans(), h::negativeCount, shift, s.negative);
      return s;
    }

    private static void collect(List<Histogram.Span> spans, java.util.function.IntToDoubleFunction count, int shift,
        Map<Integer, Double> into) {
      int index = 0;
      int at = 0;
      for (Histogram.Span span : spans) {
        index += span.offset();
        for (int j = 0; j < span.length(); j++, index++, at++) {
          int target = shift == 0 ? index : ((index - 1) >> shift) + 1;
          into.merge(target, count.applyAsDouble(at), Double::sum);
        }
      }
    }

    /** The threshold raised to the upper bound of a populated bucket it would cut through. */
    double widenedThreshold(double threshold, int schema) {
      for (Map<Integer, Double> side : List.of(positive, negative)) {
        for (Map.Entry<Integer, Double> e : side.entrySet()) {
          double lower = Histogram.exponentialBound(e.getKey() - 1, schema);
          double upper = Histogram.exponentialBound(e.getKey(), schema);
          if (lower < threshold && upper > threshold && e.getValue() != 0) {
            threshold = upper;
          }
        }
      }
      return threshold;
    }

    /** Removes the buckets inside the zero bucket, returning their total count. */
    double mergeBelow(double threshold, int schema) {
      double merged = 0;
      for (Map<Integer, Double> side : List.of(positive, negative)) {
        var it = side.entrySet().iterator();
        while (it.hasNext()) {
          var e = it.next();
          if (Histogram.exponentialBound(e.getKey() - 1, schema) < threshold) {
            merged += e.getValue();
            it.remove();
          }
        }
      }
      return merged;
    }

    Histogram toHistogram(Histogram.ResetHint hint, double zeroThreshold, double zeroCount, double count, double sum,
        double[] custom) {
      List<Histogram.Span> posSpans = new ArrayList<>();
      double[] pos = spans(positive, posSpans);
      List<Histogram.Span> negSpans = new ArrayList<>();
      double[] neg = spans(negative, negSpans);
      return new Histogram(hint, schema, zeroThreshold, zeroCount, count, sum, posSpans, pos, negSpans, neg, custom);
    }

    /** Spans over the non-empty buckets, a new span at every gap. */
    private static double[] spans(TreeMap<Integer, Double> buckets, List<Histogram.Span> spans) {
      List<Double> counts = new ArrayList<>();
      int previous = 0;
      int spanStart = -1;
      int length = 0;
      int offsetBase = 0;
      for (Map.Entry<Integer, Double> e : buckets.entrySet()) {
        if (e.getValue() == 0) {
          continue;
        }
        int index = e.getKey();
        if (length > 0 && index == previous + 1) {
          length++;
        } else {
          if (length > 0) {
            spans.add(new Histogram.Span(spanStart - offsetBase, length));
            offsetBase = spanStart + length;
          }
          spanStart = index;
          length = 1;
        }
        previous = index;
        counts.add(e.getValue());
      }
      if (length > 0) {
        spans.add(new Histogram.Span(spanStart - offsetBase, length));
      }
      double[] out = new double[counts.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = counts.get(i);
      }
      return out;
    }
  }
}

package io.sightline.promql.functions;

import io.sightline.core.model.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * What PromQL computes from one native histogram: {@code histogram_quantile}, {@code histogram_fraction},
 * {@code histogram_stddev}, {@code histogram_stdvar} (Prometheus' {@code promql/quantile.go} and functions.go).
 * {@code histogram_count}, {@code histogram_sum} and {@code histogram_avg} are read directly off the histogram.
 * Exponential buckets interpolate exponentially, custom and zero buckets linearly, as Prometheus does.
 */
public final class NativeHistograms {
  private NativeHistograms() {}

  /** One bucket: its bounds and count. */
  public record Bucket(double lower, double upper, double count) {}

  /** Every bucket, lowest first: negative buckets, the zero bucket (exponential schemas), positive buckets. */
  public static List<Bucket> buckets(Histogram h) {
    List<Bucket> out = new ArrayList<>();
    if (!h.usesCustomBuckets()) {
      List<int[]> negative = indexes(h.negativeSpans(), h.negativeBucketCount());
      for (int i = negative.size() - 1; i >= 0; i--) {
        int index = negative.get(i)[0];
        out.add(new Bucket(-bound(h, index), -bound(h, index - 1), h.negativeCount(negative.get(i)[1])));
      }
      out.add(new Bucket(-h.zeroThreshold(), h.zeroThreshold(), h.zeroCount()));
    }
    for (int[] p : indexes(h.positiveSpans(), h.positiveBucketCount())) {
      out.add(new Bucket(bound(h, p[0] - 1), bound(h, p[0]), h.positiveCount(p[1])));
    }
    return out;
  }

  private static List<int[]> indexes(List<Histogram.Span> spans, int n) {
    List<int[]> out = new ArrayList<>();
    int index = 0;
    int at = 0;
    for (Histogram.Span s : spans) {
      index += s.offset();
      for (int j = 0; j < s.length() && at < n; j++, index++, at++) {
        out.add(new int[] {index, at});
      }
    }
    return out;
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

  /** What a computation noticed about NaN observations, for the caller's info annotations. */
  public static final class Notes {
    public boolean nanResult;
    public boolean nanSkew;
    public boolean nanExcluded;
  }

  public static double quantile(double q, Histogram h) {
    return quantile(q, h, new Notes());
  }

  public static double quantile(double q, Histogram h, Notes notes) {
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (h.count() == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    List<Bucket> all = buckets(h);
    boolean forward = Double.isNaN(h.sum()) || q < 0.5;
    double rank = forward ? q * h.count() : (1 - q) * h.count();
    double count = 0;
    int i = forward ? 0 : all.size() - 1;
    Bucket bucket = null;
    for (; forward ? i < all.size() : i >= 0; i += forward ? 1 : -1) {
      Bucket b = all.get(i);
      if (b.count() == 0) {
        continue;
      }
      bucket = b;
      count += b.count();
      if (count >= rank) {
        break;
      }
    }
    if (bucket == null) {
      bucket = new Bucket(0, 0, 0); // no populated bucket: Prometheus goes on with an empty one
    }
    double lower = bucket.lower();
    double upper = bucket.upper();
    if (!h.usesCustomBuckets() && lower < 0 && upper > 0) {
      if (h.negativeBucketCount() == 0 && h.positiveBucketCount() > 0) {
        lower = 0;
      } else if (h.positiveBucketCount() == 0 && h.negativeBucketCount() > 0) {
        upper = 0;
      }
    } else if (h.usesCustomBuckets()) {
      if (lower == Double.NEGATIVE_INFINITY) {
        if (upper <= 0) {
          return upper;
        }
        lower = 0;
      } else if (upper == Double.POSITIVE_INFINITY) {
        return lower;
      }
    }
    if (count > h.count()) {
      count = h.count();
    }
    if (count < rank) {
      if (Double.isNaN(h.sum())) {
        notes.nanResult = true;
        return Double.NaN;
      }
      return upper;
    }
    if (forward) {
      rank -= count - bucket.count();
    } else {
      rank = count - rank;
    }
    if (Double.isNaN(h.sum())) {
      for (i++; i < all.size(); i++) {
        count += all.get(i).count();
      }
      if (count < h.count()) {
        notes.nanSkew = true;
      }
    }
    double fraction = rank / bucket.count();
    if (h.usesCustomBuckets() || (lower <= 0 && upper >= 0)) {
      return lower + (upper - lower) * fraction;
    }
    double logLower = log2(Math.abs(lower));
    double logUpper = log2(Math.abs(upper));
    if (lower > 0) {
      return Math.pow(2, logLower + (logUpper - logLower) * fraction);
    }
    return -Math.pow(2, logUpper + (logLower - logUpper) * (1 - fraction));
  }

  public static double fraction(double lower, double upper, Histogram h) {
    return fraction(lower, upper, h, new Notes());
  }

  public static double fraction(double lower, double upper, Histogram h, Notes notes) {
    if (h.count() == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double count = 0;
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    List<Bucket> all = buckets(h);
    int i = 0;
    for (; i < all.size(); i++) {
      Bucket b = all.get(i);
      count += b.count();
      double bl = b.lower();
      double bu = b.upper();
      boolean zeroBucket = false;
      if (bl <= 0 && bu >= 0) {
        zeroBucket = true;
        if (h.negativeBucketCount() == 0 && h.positiveBucketCount() > 0) {
          bl = 0;
        } else if (h.positiveBucketCount() == 0 && h.negativeBucketCount() > 0) {
          bu = 0;
        }
      }
      if (!lowerSet && bl >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && bl >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      boolean linear = h.usesCustomBuckets() || zeroBucket;
      if (!lowerSet && bl < lower && bu > lower) {
        lowerRank = rank + below(lower, bl, bu, b.count(), linear);
        lowerSet = true;
      }
      if (!upperSet && bl < upper && bu > upper) {
        upperRank = rank + below(upper, bl, bu, b.count(), linear);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank += b.count();
    }
    if (Double.isNaN(h.sum())) {
      for (i++; i < all.size(); i++) {
        count += all.get(i).count();
      }
      if (count < h.count()) {
        notes.nanExcluded = true;
      }
    } else {
      count = h.count();
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / h.count();
  }

  /** The share of a bucket's count below {@code v} (Prometheus' {@code FractionBelow}), times the count. */
  private static double below(double v, double lower, double upper, double count, boolean linear) {
    if (linear) {
      if (lower == Double.NEGATIVE_INFINITY) {
        return count;
      }
      return count * (v - lower) / (upper - lower);
    }
    double logLower = log2(Math.abs(lower));
    double logUpper = log2(Math.abs(upper));
    double logV = log2(Math.abs(v));
    if (v > 0) {
      return count * (logV - logLower) / (logUpper - logLower);
    }
    return count * (1 - (logV - logUpper) / (logLower - logUpper));
  }

  public static double stdvar(Histogram h) {
    double mean = h.sum() / h.count();
    double variance = 0;
    double c = 0;
    for (Bucket b : buckets(h)) {
      if (b.count() == 0) {
        continue;
      }
      double value;
      if (h.usesCustomBuckets()) {
        value = (b.upper() + b.lower()) / 2.0;
      } else if (b.lower() <= 0 && b.upper() >= 0) {
        value = 0;
      } else {
        value = Math.sqrt(b.upper() * b.lower());
        if (b.upper() < 0) {
          value = -value;
        }
      }
      double delta = value - mean;
      double inc = b.count() * delta * delta;
      double next = variance + inc;
      c = FloatWindows.kahanCompensation(inc, variance, next, c);
      variance = next;
    }
    return (variance + c) / h.count();
  }

  /** Go's {@code math.Log2}: exact for powers of two, which bucket bounds often are. */
  private static double log2(double v) {
    if (v <= 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return Math.log(v) / Math.log(2);
    }
    int exp = Math.getExponent(v) + 1;
    double frac = v / Math.scalb(1.0, exp); // in [0.5, 1)
    if (Math.getExponent(v) < Double.MIN_EXPONENT) {
      return Math.log(v) / Math.log(2);
    }
    if (frac == 0.5) {
      return exp - 1;
    }
    return Math.log(frac) * (1 / Math.log(2)) + exp;
  }
}

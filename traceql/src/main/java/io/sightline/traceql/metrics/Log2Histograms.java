package io.sightline.traceql.metrics;

import java.util.List;

/**
 * Tempo's power-of-two histograms: values are counted in the bucket of the next power of two, and quantiles are read
 * back with exponential interpolation inside the bucket they fall in.
 */
final class Log2Histograms {
  /** Go's {@code math.Log2E}, 1/ln 2 rounded once, as Go's constant arithmetic gives it. */
  private static final double LOG2_E = 1.4426950408889634;

  private Log2Histograms() {}

  /** The bucket of a positive integer: the next power of two at or above it; below 2 there is none (-1). */
  static double bucketize(long v) {
    if (v < 2) {
      return -1;
    }
    return (double) (1L << (64 - Long.numberOfLeadingZeros(v - 1)));
  }

  /** One bucket: its upper bound and how many values fell in it. */
  record Bucket(double max, long count) {}

  /** Tempo's {@code Log2Quantile} over buckets sorted by bound; 0 when there is nothing to read. */
  static double quantile(double p, List<Bucket> buckets) {
    if (Double.isNaN(p) || p < 0 || p > 1 || buckets.isEmpty()) {
      return 0;
    }
    long total = 0;
    for (Bucket b : buckets) {
      total += b.count();
    }
    if (total == 0) {
      return 0;
    }
    // Rounded up so that low counts (under 100) still land in a bucket that holds a real value.
    long maxSamples = (long) Math.ceil(p * total);
    if (maxSamples == 0) {
      maxSamples = 1;
    }
    long seen = 0;
    int bucket = 0;
    for (int i = 0; i < buckets.size(); i++) {
      bucket = i;
      Bucket b = buckets.get(i);
      if (seen + b.count() > maxSamples) {
        break;
      }
      seen += b.count();
      if (seen == maxSamples) {
        return b.max();
      }
    }
    double interp = (double) (maxSamples - seen) / buckets.get(bucket).count();
    double maxV = log2(buckets.get(bucket).max());
    // Without a bucket below, the one below is assumed to be the next power of two down.
    double minV = bucket > 0 ? log2(buckets.get(bucket - 1).max()) : maxV - 1;
    return Math.pow(2, minV + (maxV - minV) * interp);
  }

  /** Go's {@code math.Log2}: exact for powers of two, which {@code log(x) / log(2)} is not. */
  static double log2(double x) {
    if (!(x > 0) || Double.isInfinite(x)) {
      return Math.log(x) * LOG2_E;
    }
    int exp = Math.getExponent(x) + 1;
    double frac = Math.scalb(x, -exp);
    if (frac == 0.5) {
      return exp - 1;
    }
    return Math.log(frac) * LOG2_E + exp;
  }
}

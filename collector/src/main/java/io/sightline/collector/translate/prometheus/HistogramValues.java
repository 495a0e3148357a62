package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import java.util.List;

/**
 * The numbers of an explicit-bucket histogram point, as sent or accumulated from deltas. Counts are unsigned 64-bit
 * as in OTLP. The array is not copied: whoever makes one hands it over.
 */
record HistogramValues(List<Double> bounds, long[] bucketCounts, long count, double sum, boolean hasSum) {

  static HistogramValues of(HistogramDataPoint p) {
    long[] counts = new long[p.getBucketCountsCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = p.getBucketCounts(i);
    }
    return new HistogramValues(p.getExplicitBoundsList(), counts, p.getCount(), p.getSum(), p.hasSum());
  }

  /** These values with {@code delta} added; the caller has checked that the buckets are the same. */
  HistogramValues plus(HistogramValues delta) {
    long[] counts = bucketCounts.clone();
    for (int i = 0; i < counts.length; i++) {
      counts[i] += delta.bucketCounts[i];
    }
    return new HistogramValues(bounds, counts, count + delta.count, sum + delta.sum, hasSum && delta.hasSum);
  }

  boolean sameBuckets(HistogramValues other) {
    return bounds.equals(other.bounds) && bucketCounts.length == other.bucketCounts.length;
  }
}

package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP exponential histograms as native histograms. The OTLP scale is the native schema; scales above 8 are merged
 * down to 8 ({@code 2^(scale-8)} buckets into one) and scales below -4 have no schema at all. OTLP bucket index
 * {@code i} is the range {@code (base^i, base^(i+1)]} and Prometheus' {@code (base^(i-1), base^i]}, hence the +1.
 */
final class ExponentialHistograms {
  static final int MIN_SCHEMA = -4;
  static final int MAX_SCHEMA = 8;
  /** Prometheus' zero threshold when the point gives none: the zero bucket then holds only exact zeros, in effect. */
  static final double DEFAULT_ZERO_THRESHOLD = 1e-128;
  /**
   * Gaps of up to this many empty buckets are written as zero deltas inside a span rather than opening a new span,
   * which would cost more (client_golang's constant, which Prometheus copies).
   */
  private static final int MAX_GAP_IN_SPAN = 2;

  private ExponentialHistograms() {}

  /** @throws IllegalArgumentException for a scale below -4 */
  static NativeHistogram toNative(ExponentialHistogramDataPoint p, boolean delta) {
    int scale = p.getScale();
    if (scale < MIN_SCHEMA) {
      throw new IllegalArgumentException("cannot convert exponential to native histogram: scale must be >= "
          + MIN_SCHEMA + ", was " + scale);
    }
    int scaleDown = Math.max(0, scale - MAX_SCHEMA);
    Layout positive = layout(p.getPositive(), scaleDown);
    Layout negative = layout(p.getNegative(), scaleDown);
    boolean stale = OtlpMetricsTranslator.noRecordedValue(p.getFlags());
    // Prometheus leaves the hint UNKNOWN for cumulative points: a wrong NO would corrupt its chunks, UNKNOWN is safe.
    NativeHistogram.ResetHint hint = delta ? NativeHistogram.ResetHint.GAUGE : NativeHistogram.ResetHint.UNKNOWN;
    // Prometheus ignores zero_threshold and always uses 1e-128 (left unfinished there); the point's own threshold is what
    // its zero_count was counted with, so it is kept when set.
    double zeroThreshold = p.getZeroThreshold() > 0 ? p.getZeroThreshold() : DEFAULT_ZERO_THRESHOLD;
    long count = stale ? io.sightline.core.model.StaleMarker.BITS : p.getCount();
    double sum = stale ? io.sightline.core.model.StaleMarker.VALUE : p.hasSum() ? p.getSum() : 0;
    return new NativeHistogram(Math.min(scale, MAX_SCHEMA), zeroThreshold, p.getZeroCount(), count, sum,
        positive.spans(), positive.deltas(), negative.spans(), negative.deltas(), hint);
  }

  record Layout(List<NativeHistogram.Span> spans, List<Long> deltas) {}

  private static Layout layout(Buckets buckets, int scaleDown) {
    return layout(buckets.getBucketCountsList(), buckets.getOffset(), scaleDown);
  }

  /**
   * Dense OTLP bucket counts from {@code offset} to spans and deltas, merging {@code 2^scaleDown} buckets into one.
   * A leading run of empty buckets stays inside the first span as zeros, as in Prometheus.
   */
  static Layout layout(List<Long> counts, int offset, int scaleDown) {
    if (counts.isEmpty()) {
      return new Layout(List.of(), List.of());
    }
    SpanBuilder out = new SpanBuilder((offset >> scaleDown) + 1);
    int bucketIdx = (offset >> scaleDown) + 1;
    long count = 0;
    for (int i = 0; i < counts.size(); i++) {
      int nextBucketIdx = ((i + offset) >> scaleDown) + 1;
      if (bucketIdx == nextBucketIdx) {
        count += counts.get(i);
        continue;
      }
      if (count == 0) {
        count = counts.get(i);
        continue;
      }
      out.gap(nextBucketIdx - bucketIdx - 1);
      out.append(count);
      count = counts.get(i);
      bucketIdx = nextBucketIdx;
    }
    out.gap(((counts.size() + offset - 1) >> scaleDown) + 1 - bucketIdx);
    out.append(count);
    return out.build();
  }

  /** Spans and deltas as buckets are appended in order. */
  private static final class SpanBuilder {
    private final List<int[]> spans = new ArrayList<>();
    private final List<Long> deltas = new ArrayList<>();
    private long previous;

    SpanBuilder(int firstOffset) {
      spans.add(new int[] {firstOffset, 0});
    }

    void gap(int emptyBuckets) {
      if (emptyBuckets > MAX_GAP_IN_SPAN) {
        spans.add(new int[] {emptyBuckets, 0});
      } else {
        for (int i = 0; i < emptyBuckets; i++) {
          append(0);
        }
      }
    }

    void append(long count) {
      spans.getLast()[1]++;
      deltas.add(count - previous);
      previous = count;
    }

    Layout build() {
      List<NativeHistogram.Span> out = new ArrayList<>(spans.size());
      for (int[] s : spans) {
        out.add(new NativeHistogram.Span(s[0], s[1]));
      }
      return new Layout(out, deltas);
    }
  }
}

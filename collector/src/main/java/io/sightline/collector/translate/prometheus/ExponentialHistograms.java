package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import io.sightline.core.model.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP exponential histograms as native histograms. The OTLP scale is the native schema; scales above 8 are merged
 * down to 8 ({@code 2^(scale-8)} buckets into one) and scales below -4 have no schema at all. OTLP bucket index
 * {@code i} is the range {@code (base^i, base^(i+1)]} and Prometheus' {@code (base^(i-1), base^i]}, hence the +1.
 *
 * <p>The layout is worked out in Prometheus' integer form (spans and deltas), so that it can be held to Prometheus'
 * own layout cases, then turned into absolute counts.
 */
final class ExponentialHistograms {
  static final int MIN_SCHEMA = Histogram.MIN_SCHEMA;
  static final int MAX_SCHEMA = Histogram.MAX_SCHEMA;
  /** Prometheus' zero threshold when the point gives none: the zero bucket then holds only exact zeros, in effect. */
  static final double DEFAULT_ZERO_THRESHOLD = 1e-128;
  /**
   * Gaps of up to this many empty buckets are written as zero deltas inside a span rather than opening a new span,
   * which would cost more (client_golang's constant, which Prometheus copies).
   */
  private static final int MAX_GAP_IN_SPAN = 2;

  private ExponentialHistograms() {}

  /**
   * @param delta whether the point is one of a delta stream
   * @throws IllegalArgumentException for a scale below -4, or counts no native histogram can hold
   */
  static Histogram toNative(ExponentialHistogramDataPoint p, boolean delta) {
    int scale = p.getScale();
    if (scale < MIN_SCHEMA) {
      throw new IllegalArgumentException("cannot convert exponential to native histogram: scale must be >= "
          + MIN_SCHEMA + ", was " + scale);
    }
    if (OtlpMetricsTranslator.noRecordedValue(p.getFlags())) {
      return Histogram.staleMarker();
    }
    int scaleDown = Math.max(0, scale - MAX_SCHEMA);
    Layout positive = layout(p.getPositive(), scaleDown);
    Layout negative = layout(p.getNegative(), scaleDown);
    // Prometheus leaves the hint UNKNOWN for cumulative points: a wrong NO would corrupt its chunks, UNKNOWN is safe.
    Histogram.ResetHint hint = delta ? Histogram.ResetHint.GAUGE : Histogram.ResetHint.UNKNOWN;
    // Prometheus ignores zero_threshold and always uses 1e-128 (left unfinished there); the point's own threshold is
    // what its zero_count was counted with, so it is kept when set.
    double zeroThreshold = p.getZeroThreshold() > 0 ? p.getZeroThreshold() : DEFAULT_ZERO_THRESHOLD;
    Histogram h = new Histogram(hint, Math.min(scale, MAX_SCHEMA), zeroThreshold,
        TranslationRun.unsigned(p.getZeroCount()), TranslationRun.unsigned(p.getCount()), p.hasSum() ? p.getSum() : 0,
        positive.spans(), positive.counts(), negative.spans(), negative.counts(), null);
    String invalid = h.invalidReason();
    if (invalid != null) {
      throw new IllegalArgumentException("cannot convert exponential to native histogram: " + invalid);
    }
    return h;
  }

  record Layout(List<Histogram.Span> spans, List<Long> deltas) {
    double[] counts() {
      long[] d = new long[deltas.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = deltas.get(i);
      }
      return Histogram.countsFromDeltas(d);
    }
  }

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
      List<Histogram.Span> out = new ArrayList<>(spans.size());
      for (int[] s : spans) {
        out.add(new Histogram.Span(s[0], s[1]));
      }
      return new Layout(out, deltas);
    }
  }
}

package io.sightline.collector.translate.prometheus;

import java.util.List;

/**
 * A Prometheus native histogram sample (its integer form, as OTLP exponential histograms always are), in
 * Prometheus' sparse layout: buckets in spans, each span's counts as deltas from the previous bucket's count.
 *
 * <pre>
 *   schema 0, positive buckets with counts 4, 3, 2, 1 at indexes 1..4:
 *   positiveSpans  [Span(offset 1, length 4)]
 *   positiveDeltas [4, -1, -1, -1]
 * </pre>
 *
 * A stale marker has {@code sum} = the stale NaN and {@code count} = its bits, as Prometheus writes it.
 *
 * @param schema the OTLP scale, at most 8 (finer scales are merged down), at least -4
 */
public record NativeHistogram(int schema, double zeroThreshold, long zeroCount, long count, double sum,
    List<Span> positiveSpans, List<Long> positiveDeltas, List<Span> negativeSpans, List<Long> negativeDeltas,
    ResetHint resetHint) {

  public NativeHistogram {
    positiveSpans = List.copyOf(positiveSpans);
    positiveDeltas = List.copyOf(positiveDeltas);
    negativeSpans = List.copyOf(negativeSpans);
    negativeDeltas = List.copyOf(negativeDeltas);
  }

  /** A run of {@code length} consecutive buckets, starting {@code offset} buckets after the previous run. */
  public record Span(int offset, int length) {}

  /** What the sample says about counter resets, as Prometheus' {@code CounterResetHint}. */
  public enum ResetHint {
    /** Let the store find out: Prometheus uses it for cumulative OTLP histograms, as always safe. */
    UNKNOWN,
    YES,
    NO,
    /** Not a counter at all: Prometheus uses it for delta OTLP histograms, which it stores as they are. */
    GAUGE
  }

  public boolean isStaleMarker() {
    return Double.doubleToRawLongBits(sum) == io.sightline.core.model.StaleMarker.BITS;
  }
}

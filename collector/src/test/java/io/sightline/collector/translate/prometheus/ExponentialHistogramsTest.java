package io.sightline.collector.translate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Histogram.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bucket layout cases of Prometheus' {@code TestConvertBucketsLayout}, and the histogram's other fields. */
class ExponentialHistogramsTest {

  @Test
  void zeroOffset() {
    List<Long> counts = List.of(4L, 3L, 2L, 1L);
    assertLayout(counts, 0, 0, List.of(new Span(1, 4)), List.of(4L, -1L, -1L, -1L));
    assertLayout(counts, 0, 1, List.of(new Span(1, 2)), List.of(7L, -4L));
    assertLayout(counts, 0, 2, List.of(new Span(1, 1)), List.of(10L));
  }

  @Test
  void offsetOne() {
    List<Long> counts = List.of(4L, 3L, 2L, 1L);
    assertLayout(counts, 1, 0, List.of(new Span(2, 4)), List.of(4L, -1L, -1L, -1L));
    assertLayout(counts, 1, 1, List.of(new Span(1, 3)), List.of(4L, 1L, -4L));
    assertLayout(counts, 1, 2, List.of(new Span(1, 2)), List.of(9L, -8L));
  }

  @Test
  void gapsOfMoreThanTwoBucketsOpenANewSpan() {
    List<Long> counts = List.of(4L, 2L, 0L, 2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L);
    assertLayout(counts, 4, 0, List.of(new Span(5, 4), new Span(12, 1)), List.of(4L, -2L, -2L, 2L, -1L));
    assertLayout(counts, 4, 1, List.of(new Span(3, 2), new Span(6, 1)), List.of(6L, -4L, -1L));
  }

  @Test
  void noBucketsNoSpans() {
    assertLayout(List.of(), 3, 0, List.of(), List.of());
  }

  @Test
  void scalesAboveEightAreMergedDownAndBelowMinusFourRefused() {
    ExponentialHistogramDataPoint fine = ExponentialHistogramDataPoint.newBuilder().setScale(10).setCount(10)
        .setSum(5).setZeroCount(1).setPositive(Buckets.newBuilder().setOffset(0).addAllBucketCounts(
            List.of(4L, 3L, 2L, 1L))).build();
    Histogram h = ExponentialHistograms.toNative(fine, false);
    assertThat(h.schema()).isEqualTo(8);
    assertThat(h.positiveSpans()).containsExactly(new Span(1, 1));
    assertThat(h.positiveBucketCount()).isEqualTo(1);
    assertThat(h.positiveCount(0)).isEqualTo(10);
    assertThat(h.negativeSpans()).isEmpty();
    assertThat(h.zeroThreshold()).isEqualTo(1e-128);
    assertThat(h.zeroCount()).isEqualTo(1);
    assertThat(h.count()).isEqualTo(10);
    assertThat(h.sum()).isEqualTo(5);
    assertThat(h.resetHint()).isEqualTo(Histogram.ResetHint.UNKNOWN);
    assertThat(h.isStaleMarker()).isFalse();
    assertThat(h.invalidReason()).isNull();

    ExponentialHistogramDataPoint coarse = fine.toBuilder().setScale(-5).build();
    assertThatThrownBy(() -> ExponentialHistograms.toNative(coarse, false))
        .hasMessageContaining("scale must be >= -4, was -5");
  }

  @Test
  void deltasAbsoluteCountsAndBothSides() {
    ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder().setScale(2).setCount(9).setSum(-1)
        .setZeroThreshold(0.001).setZeroCount(1)
        .setPositive(Buckets.newBuilder().setOffset(-2).addAllBucketCounts(List.of(1L, 0L, 3L)))
        .setNegative(Buckets.newBuilder().setOffset(5).addAllBucketCounts(List.of(2L, 2L))).build();
    Histogram h = ExponentialHistograms.toNative(p, true);
    assertThat(h.resetHint()).isEqualTo(Histogram.ResetHint.GAUGE);
    assertThat(h.zeroThreshold()).isEqualTo(0.001);
    assertThat(h.zeroCount()).isEqualTo(1);
    assertThat(h.positiveSpans()).containsExactly(new Span(-1, 3));
    assertThat(new double[] {h.positiveCount(0), h.positiveCount(1), h.positiveCount(2)}).containsExactly(1, 0, 3);
    assertThat(h.negativeSpans()).containsExactly(new Span(6, 2));
    assertThat(new double[] {h.negativeCount(0), h.negativeCount(1)}).containsExactly(2, 2);
    assertThat(h.invalidReason()).isNull();
  }

  @Test
  void noRecordedValueIsTheStaleMarker() {
    ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder().setScale(2).setCount(3)
        .setZeroThreshold(0.001).setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE).build();
    Histogram h = ExponentialHistograms.toNative(p, true);
    assertThat(h.isStaleMarker()).isTrue();
    assertThat(h).isEqualTo(Histogram.staleMarker());
  }

  @Test
  void countsThatWrapToNegativeAreRefused() {
    ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder().setScale(0).setCount(1)
        .setPositive(Buckets.newBuilder().addAllBucketCounts(List.of(1L, -1L))).build();
    assertThatThrownBy(() -> ExponentialHistograms.toNative(p, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("histogram has a bucket whose observation count is negative");
  }

  private static void assertLayout(List<Long> counts, int offset, int scaleDown, List<Span> spans, List<Long> deltas) {
    ExponentialHistograms.Layout layout = ExponentialHistograms.layout(counts, offset, scaleDown);
    assertThat(layout.spans()).as("spans at scale down %d", scaleDown).isEqualTo(spans);
    assertThat(layout.deltas()).as("deltas at scale down %d", scaleDown).isEqualTo(deltas);
  }
}

package io.sightline.collector.translate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import io.sightline.collector.translate.prometheus.NativeHistogram.Span;
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
    NativeHistogram h = ExponentialHistograms.toNative(fine, false);
    assertThat(h.schema()).isEqualTo(8);
    assertThat(h.positiveSpans()).containsExactly(new Span(1, 1));
    assertThat(h.positiveDeltas()).containsExactly(10L);
    assertThat(h.negativeSpans()).isEmpty();
    assertThat(h.zeroThreshold()).isEqualTo(1e-128);
    assertThat(h.zeroCount()).isEqualTo(1);
    assertThat(h.count()).isEqualTo(10);
    assertThat(h.sum()).isEqualTo(5);
    assertThat(h.resetHint()).isEqualTo(NativeHistogram.ResetHint.UNKNOWN);
    assertThat(h.isStaleMarker()).isFalse();

    ExponentialHistogramDataPoint coarse = fine.toBuilder().setScale(-5).build();
    assertThatThrownBy(() -> ExponentialHistograms.toNative(coarse, false))
        .hasMessageContaining("scale must be >= -4, was -5");
  }

  @Test
  void deltaGetsTheGaugeHintAndNoRecordedValueTheStaleMarker() {
    ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder().setScale(2).setCount(3)
        .setZeroThreshold(0.001).setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE).build();
    NativeHistogram h = ExponentialHistograms.toNative(p, true);
    assertThat(h.resetHint()).isEqualTo(NativeHistogram.ResetHint.GAUGE);
    assertThat(h.zeroThreshold()).isEqualTo(0.001);
    assertThat(h.isStaleMarker()).isTrue();
    assertThat(h.count()).isEqualTo(io.sightline.core.model.StaleMarker.BITS);
  }

  private static void assertLayout(List<Long> counts, int offset, int scaleDown, List<Span> spans, List<Long> deltas) {
    ExponentialHistograms.Layout layout = ExponentialHistograms.layout(counts, offset, scaleDown);
    assertThat(layout.spans()).as("spans at scale down %d", scaleDown).isEqualTo(spans);
    assertThat(layout.deltas()).as("deltas at scale down %d", scaleDown).isEqualTo(deltas);
  }
}

package io.sightline.collector.translate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DeltaToCumulativeTest {
  private static final Labels A = Labels.of("__name__", "a_total");
  private static final Labels B = Labels.of("__name__", "b_total");

  @Test
  void contiguousDeltasAddUp() {
    DeltaToCumulative d = new DeltaToCumulative(10);
    assertThat(d.addSum(A, 100, 200, 5)).isEqualTo(OptionalDouble.of(5));
    assertThat(d.addSum(A, 200, 300, 3)).isEqualTo(OptionalDouble.of(8));
    assertThat(d.addSum(A, 300, 400, 0.5)).isEqualTo(OptionalDouble.of(8.5));
    assertThat(d.addSum(B, 100, 200, 1)).isEqualTo(OptionalDouble.of(1));
    assertThat(d.streams()).isEqualTo(2);
  }

  @Test
  void repeatedOlderAndOverlappingPointsAreRefused() {
    DeltaToCumulative d = new DeltaToCumulative(10);
    d.addSum(A, 100, 200, 5);
    assertThat(d.addSum(A, 100, 200, 5)).as("the same point again (a retry)").isEmpty();
    assertThat(d.addSum(A, 50, 150, 1)).as("older").isEmpty();
    assertThat(d.addSum(A, 150, 250, 1)).as("starts before the last one ended").isEmpty();
    assertThat(d.addSum(A, 0, 250, 1)).as("no start time: only the time is checked").isEqualTo(OptionalDouble.of(6));
    assertThat(d.addSum(A, 300, 400, 1)).as("a gap is fine").isEqualTo(OptionalDouble.of(7));
  }

  @Test
  void theStreamIdleLongestIsEvictedAndStartsOverWhenItComesBack() {
    DeltaToCumulative d = new DeltaToCumulative(2);
    Labels c = Labels.of("__name__", "c_total");
    d.addSum(A, 0, 100, 1);
    d.addSum(B, 0, 100, 1);
    d.addSum(A, 0, 200, 1); // A is now the most recent
    d.addSum(c, 0, 200, 1);
    assertThat(d.streams()).isEqualTo(2);
    assertThat(d.evicted()).isEqualTo(1);
    assertThat(d.addSum(A, 0, 300, 1)).as("A was kept").isEqualTo(OptionalDouble.of(3));
    assertThat(d.addSum(B, 0, 300, 1)).as("B was evicted and starts over").isEqualTo(OptionalDouble.of(1));
  }

  @Test
  void histogramsAddBucketByBucketAndStartOverWhenBucketsChange() {
    DeltaToCumulative d = new DeltaToCumulative(10);
    HistogramValues first = new HistogramValues(List.of(1.0, 5.0), new long[] {1, 2, 0}, 3, 7.5, true);
    HistogramValues second = new HistogramValues(List.of(1.0, 5.0), new long[] {0, 1, 1}, 2, 9, true);
    assertThat(d.addHistogram(A, 0, 100, first)).isSameAs(first);
    HistogramValues total = d.addHistogram(A, 100, 200, second);
    assertThat(total.bucketCounts()).containsExactly(1, 3, 1);
    assertThat(total.count()).isEqualTo(5);
    assertThat(total.sum()).isEqualTo(16.5);
    assertThat(total.hasSum()).isTrue();
    assertThat(d.addHistogram(A, 100, 200, second)).as("a retry").isNull();

    HistogramValues rebucketed = new HistogramValues(List.of(2.0), new long[] {1, 1}, 2, 3, false);
    assertThat(d.addHistogram(A, 200, 300, rebucketed)).isSameAs(rebucketed);
  }

  @Test
  void aForgottenStreamStartsFromZero() {
    DeltaToCumulative d = new DeltaToCumulative(10);
    d.addSum(A, 0, 100, 4);
    d.forget(A);
    assertThat(d.addSum(A, 0, 50, 2)).isEqualTo(OptionalDouble.of(2));
  }
}

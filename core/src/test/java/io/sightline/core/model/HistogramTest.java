package io.sightline.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Histogram.ResetHint;
import io.sightline.core.model.Histogram.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {

  private static List<String> buckets(Histogram h) {
    List<String> out = new ArrayList<>();
    h.forEachBucket((rule, lower, upper, count) -> out.add(
        rule + " " + GoFormat.json(lower) + " " + GoFormat.json(upper) + " " + GoFormat.json(count)));
    return out;
  }

  @Test
  void exponentialBoundsArePowersOfTheSchemaBase() {
    assertThat(Histogram.exponentialBound(0, 0)).isEqualTo(1);
    assertThat(Histogram.exponentialBound(1, 0)).isEqualTo(2);
    assertThat(Histogram.exponentialBound(-2, 0)).isEqualTo(0.25);
    assertThat(Histogram.exponentialBound(1, -2)).isEqualTo(16); // base 2^4
    assertThat(Histogram.exponentialBound(1, 1)).isEqualTo(Math.sqrt(2));
    assertThat(Histogram.exponentialBound(-1, 1)).isEqualTo(Math.sqrt(2) / 2);
    assertThat(Histogram.exponentialBound(8, 3)).isEqualTo(2);
    assertThat(Histogram.exponentialBound(-3, 3)).isCloseTo(Math.pow(2, -3.0 / 8), org.assertj.core.data.Offset
        .offset(1e-15));
    // The last finite bucket ends at the largest double; the next one holds ±Inf.
    assertThat(Histogram.exponentialBound(1024, 0)).isEqualTo(Double.MAX_VALUE);
    assertThat(Histogram.exponentialBound(1025, 0)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Histogram.exponentialBound(1024 << 8, 8)).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void bucketsAreListedLowestFirstWithTheirBoundaryRules() {
    // schema 0: positive buckets 1..2 and 4 ((1,2], (2,4], (8,16]), negative bucket 0 ([-1,-0.5)), zero bucket.
    Histogram h = new Histogram(ResetHint.UNKNOWN, 0, 0.001, 2, 13, 42.5,
        List.of(new Span(1, 2), new Span(1, 1)), new double[] {3, 0, 5},
        List.of(new Span(0, 1)), new double[] {3}, null);
    assertThat(h.invalidReason()).isNull();
    assertThat(buckets(h)).containsExactly(
        "1 -1 -0.5 3",
        "3 -0.001 0.001 2",
        "0 1 2 3",
        "0 8 16 5");
  }

  @Test
  void bucketsReachingIntoTheZeroBucketAreCutAtItsThreshold() {
    // Bucket -1 of schema 0 is (0.25, 0.5]; with a zero threshold of 0.3 it becomes (0.3, 0.5].
    Histogram h = new Histogram(ResetHint.UNKNOWN, 0, 0.3, 0, 1, 0.4, List.of(new Span(-1, 1)), new double[] {1},
        List.of(), null, null);
    assertThat(buckets(h)).containsExactly("0 0.3 0.5 1");
  }

  @Test
  void customBucketsEndAtInfinity() {
    Histogram h = new Histogram(ResetHint.UNKNOWN, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 6, 7,
        List.of(new Span(0, 3)), new double[] {1, 2, 3}, List.of(), null, new double[] {0.5, 1});
    assertThat(h.invalidReason()).isNull();
    assertThat(buckets(h)).containsExactly("3 -Inf 0.5 1", "0 0.5 1 2", "0 1 +Inf 3");
  }

  @Test
  void countsFromDeltasAddUp() {
    assertThat(Histogram.countsFromDeltas(new long[] {4, -1, -1, -1})).containsExactly(4, 3, 2, 1);
  }

  @Test
  void invalidHistogramsAreNamedInPrometheusWords() {
    Histogram missingBucket = new Histogram(ResetHint.UNKNOWN, 0, 0, 0, 1, 1, List.of(new Span(0, 2)),
        new double[] {1}, List.of(), null, null);
    assertThat(missingBucket.invalidReason())
        .isEqualTo("positive side: spans need 2 buckets, have 1 buckets: histogram spans specify different number "
            + "of buckets than provided");
    Histogram badSchema = new Histogram(ResetHint.UNKNOWN, 9, 0, 0, 0, 0, List.of(), null, List.of(), null, null);
    assertThat(badSchema.invalidReason()).contains("invalid schema").contains("got schema 9");
    Histogram negative = new Histogram(ResetHint.UNKNOWN, 0, 0, 0, 1, 1, List.of(new Span(0, 1)),
        new double[] {-1}, List.of(), null, null);
    assertThat(negative.invalidReason()).contains("negative");
    Histogram fewBounds = new Histogram(ResetHint.UNKNOWN, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 1, 1,
        List.of(new Span(0, 3)), new double[] {1, 0, 0}, List.of(), null, new double[] {1});
    assertThat(fewBounds.invalidReason()).contains("insufficient to cover total span length of 3");
  }

  @Test
  void theIntegerFormsCountMustMatchItsBuckets() {
    Histogram h = new Histogram(ResetHint.UNKNOWN, 0, 0, 1, 5, 3, List.of(new Span(0, 2)), new double[] {1, 2},
        List.of(), null, null);
    assertThat(h.invalidReason()).isNull(); // floats are not held to it, as in Prometheus
    assertThat(h.invalidReason(true)).isEqualTo("4 observations found in buckets, but the Count field is 5: "
        + "histogram's observation count should equal the number of observations found in the buckets (in absence "
        + "of NaN)");
    Histogram nanSum = new Histogram(ResetHint.UNKNOWN, 0, 0, 1, 5, Double.NaN, List.of(new Span(0, 2)),
        new double[] {1, 2}, List.of(), null, null);
    assertThat(nanSum.invalidReason(true)).isNull(); // a NaN observation is counted in no bucket
    Histogram tooFew = new Histogram(ResetHint.UNKNOWN, 0, 0, 1, 3, Double.NaN, List.of(new Span(0, 2)),
        new double[] {1, 2}, List.of(), null, null);
    assertThat(tooFew.invalidReason(true)).contains("should be at least the number of observations");
  }

  @Test
  void customBoundsMustBeFiniteRisingAndStartAtOffsetZeroOrMore() {
    java.util.function.Function<double[], String> withBounds = bounds -> new Histogram(ResetHint.UNKNOWN,
        Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 1, 1, List.of(new Span(0, 1)), new double[] {1}, List.of(), null,
        bounds).invalidReason();
    assertThat(withBounds.apply(new double[] {1, Double.NaN})).isEqualTo(
        "custom buckets: histogram custom bounds must not be NaN");
    assertThat(withBounds.apply(new double[] {1, 1})).isEqualTo("custom buckets: previous bound is 1.000000 and "
        + "current is 1.000000: histogram custom bounds must be in strictly increasing order");
    assertThat(withBounds.apply(new double[] {1, Double.POSITIVE_INFINITY})).isEqualTo("custom buckets: last +Inf "
        + "bound must not be explicitly defined: histogram custom bounds must be finite");
    Histogram negativeOffset = new Histogram(ResetHint.UNKNOWN, Histogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 1, 1,
        List.of(new Span(-1, 1)), new double[] {1}, List.of(), null, new double[] {1});
    assertThat(negativeOffset.invalidReason()).isEqualTo("custom buckets: span number 1 with offset -1: histogram "
        + "has a span whose offset is negative");
    Histogram negativeBucket = new Histogram(ResetHint.UNKNOWN, 0, 0, 0, 1, 1, List.of(new Span(0, 2)),
        new double[] {1, -1}, List.of(), null, null);
    assertThat(negativeBucket.invalidReason()).isEqualTo("positive side: bucket number 2 has observation count of "
        + "-1: histogram has a bucket whose observation count is negative");
  }

  @Test
  void staleMarkerIsKnownByItsSum() {
    assertThat(Histogram.staleMarker().isStaleMarker()).isTrue();
    assertThat(Histogram.staleMarker().invalidReason()).isNull();
    assertThat(new Histogram(ResetHint.UNKNOWN, 0, 0, 0, 0, Double.NaN, List.of(), null, List.of(), null, null)
        .isStaleMarker()).isFalse();
  }

  @Test
  void equalityIsBitwiseAndSameValueIgnoresTheHint() {
    Histogram a = new Histogram(ResetHint.NO, 0, 0, 0, 1, 1, List.of(new Span(0, 1)), new double[] {1}, List.of(),
        null, null);
    Histogram b = new Histogram(ResetHint.UNKNOWN, 0, 0, 0, 1, 1, List.of(new Span(0, 1)), new double[] {1},
        List.of(), null, null);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.sameValue(b)).isTrue();
    assertThat(a.sameLayout(b)).isTrue();
  }

  @Test
  void jsonFloatsSwitchToExponentsAtTheEdgesAsPrometheusDoes() {
    assertThat(GoFormat.json(0.5)).isEqualTo("0.5");
    assertThat(GoFormat.json(1e-7)).isEqualTo("1e-07");
    assertThat(GoFormat.json(-2.5e-300)).isEqualTo("-2.5e-300");
    assertThat(GoFormat.json(1.5e21)).isEqualTo("1.5e+21");
    assertThat(GoFormat.json(1e20)).isEqualTo("100000000000000000000");
    assertThat(GoFormat.json(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    assertThat(GoFormat.json(0)).isEqualTo("0");
    assertThat(GoFormat.json(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }
}

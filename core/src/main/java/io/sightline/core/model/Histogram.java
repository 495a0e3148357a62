package io.sightline.core.model;

import java.util.Arrays;
import java.util.List;

/**
 * A Prometheus native histogram sample: observations counted in buckets whose bounds follow from a schema, so that a
 * sender need not choose them. One type serves both of Prometheus' forms (integer counts, sent as deltas, and float
 * counts): counts are held as absolute doubles, exact for integers up to 2^53.
 *
 * <p>Buckets are sparse: spans say which bucket indexes are present, the count arrays hold their counts in order.
 *
 * <pre>
 *   schema 0 (bounds are powers of 2), positive buckets with counts 4, 3, 0, 1 at indexes 1..4, nothing at 5..6,
 *   then 2 at index 7:
 *     positiveSpans  [Span(offset 1, length 4), Span(offset 2, length 1)]   offset: buckets skipped since the last
 *     positiveCounts [4, 3, 0, 1, 2]
 *   bucket i covers (2^(i−1), 2^i] for schema 0; for schema s the base is 2^(2^−s), s from −4 to 8.
 * </pre>
 *
 * Schema {@value #CUSTOM_BUCKETS_SCHEMA} has custom bounds instead ({@code customValues}, the upper bounds of buckets
 * 0..n−1; bucket n ends at +Inf), no zero bucket and no negative buckets: a classic histogram in native form.
 *
 * <p>Immutable; arrays are copied in and never handed out.
 */
public final class Histogram {
  /** The schema of custom bucket bounds (Prometheus' NHCB). */
  public static final int CUSTOM_BUCKETS_SCHEMA = -53;
  public static final int MIN_SCHEMA = -4;
  public static final int MAX_SCHEMA = 8;

  /** What the sample says about counter resets (Prometheus' {@code CounterResetHint}). */
  public enum ResetHint {
    /** Not known: a reader compares with the previous sample. */
    UNKNOWN,
    /** A counter reset happened just before this sample. */
    YES,
    /** No counter reset since the previous sample. */
    NO,
    /** Not a counter: a gauge histogram, whose counts may go down. */
    GAUGE
  }

  /** A run of {@code length} consecutive buckets starting {@code offset} indexes after the previous run's end. */
  public record Span(int offset, int length) {}

  private static final Span[] NO_SPANS = {};
  private static final double[] NO_COUNTS = {};

  private final ResetHint resetHint;
  private final int schema;
  private final double zeroThreshold;
  private final double zeroCount;
  private final double count;
  private final double sum;
  private final Span[] positiveSpans;
  private final double[] positiveCounts;
  private final Span[] negativeSpans;
  private final double[] negativeCounts;
  private final double[] customValues;

  public Histogram(ResetHint resetHint, int schema, double zeroThreshold, double zeroCount, double count, double sum,
      List<Span> positiveSpans, double[] positiveCounts, List<Span> negativeSpans, double[] negativeCounts,
      double[] customValues) {
    this.resetHint = resetHint;
    this.schema = schema;
    this.zeroThreshold = zeroThreshold;
    this.zeroCount = zeroCount;
    this.count = count;
    this.sum = sum;
    this.positiveSpans = positiveSpans.isEmpty() ? NO_SPANS : positiveSpans.toArray(Span[]::new);
    this.positiveCounts = copy(positiveCounts);
    this.negativeSpans = negativeSpans.isEmpty() ? NO_SPANS : negativeSpans.toArray(Span[]::new);
    this.negativeCounts = copy(negativeCounts);
    this.customValues = copy(customValues);
  }

  private static double[] copy(double[] a) {
    return a == null || a.length == 0 ? NO_COUNTS : a.clone();
  }

  /**
   * Absolute counts from Prometheus' integer form, where each count is the difference from the previous bucket's
   * count (the first from zero), across all spans of one side.
   */
  public static double[] countsFromDeltas(long[] deltas) {
    double[] counts = new double[deltas.length];
    long current = 0;
    for (int i = 0; i < deltas.length; i++) {
      current += deltas[i];
      counts[i] = current;
    }
    return counts;
  }

  /** Prometheus' stale marker for a histogram series: no buckets, and the stale NaN as its sum. */
  public static Histogram staleMarker() {
    return new Histogram(ResetHint.UNKNOWN, 0, 0, 0, 0, StaleMarker.VALUE, List.of(), NO_COUNTS, List.of(), NO_COUNTS,
        NO_COUNTS);
  }

  public boolean isStaleMarker() {
    return StaleMarker.is(sum);
  }

  public ResetHint resetHint() {
    return resetHint;
  }

  public int schema() {
    return schema;
  }

  public boolean usesCustomBuckets() {
    return schema == CUSTOM_BUCKETS_SCHEMA;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public double zeroCount() {
    return zeroCount;
  }

  public double count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public List<Span> positiveSpans() {
    return List.of(positiveSpans);
  }

  public List<Span> negativeSpans() {
    return List.of(negativeSpans);
  }

  public int positiveBucketCount() {
    return positiveCounts.length;
  }

  public int negativeBucketCount() {
    return negativeCounts.length;
  }

  public double positiveCount(int i) {
    return positiveCounts[i];
  }

  public double negativeCount(int i) {
    return negativeCounts[i];
  }

  public int customValueCount() {
    return customValues.length;
  }

  public double customValue(int i) {
    return customValues[i];
  }

  /** Whether {@code other} has the same schema, zero threshold, spans and custom bounds: the same bucket layout. */
  public boolean sameLayout(Histogram other) {
    return schema == other.schema
        && Double.doubleToRawLongBits(zeroThreshold) == Double.doubleToRawLongBits(other.zeroThreshold)
        && Arrays.equals(positiveSpans, other.positiveSpans) && Arrays.equals(negativeSpans, other.negativeSpans)
        && Arrays.equals(customValues, other.customValues);
  }

  /**
   * Why this histogram is not a valid one, in Prometheus' words ({@code FloatHistogram.Validate}), or null when it is:
   * the schema must be known, the spans must cover exactly the counts given, no count may be negative, and custom
   * bounds must rise, be finite and be enough for the spans.
   */
  public String invalidReason() {
    return invalidReason(false);
  }

  /**
   * As {@link #invalidReason()}; with {@code integerCounts}, for a histogram sent in Prometheus' integer form, also
   * Prometheus' check of that form ({@code Histogram.Validate}): the count must equal the observations in the
   * buckets, or be at least that many when the sum is NaN.
   */
  public String invalidReason(boolean integerCounts) {
    if (schema == CUSTOM_BUCKETS_SCHEMA) {
      String bounds = customBoundsProblem();
      if (bounds != null) {
        return "custom buckets: " + bounds;
      }
      if (zeroCount != 0) {
        return "custom buckets: must have zero count of 0";
      }
      if (zeroThreshold != 0) {
        return "custom buckets: must have zero threshold of 0";
      }
      if (negativeSpans.length > 0) {
        return "custom buckets: must not have negative spans";
      }
      if (negativeCounts.length > 0) {
        return "custom buckets: must not have negative buckets";
      }
    } else if (schema >= MIN_SCHEMA && schema <= MAX_SCHEMA) {
      String problem = spansProblem(positiveSpans, positiveCounts.length, false);
      if (problem != null) {
        return "positive side: " + problem;
      }
      problem = spansProblem(negativeSpans, negativeCounts.length, false);
      if (problem == null) {
        problem = negativeBucket(negativeCounts);
      }
      if (problem != null) {
        return "negative side: " + problem;
      }
      if (zeroCount < 0) {
        return "zero bucket has observation count of " + GoFormat.plain(zeroCount) + ": " + NEGATIVE_BUCKET;
      }
      if (customValues.length > 0) {
        return "histogram with exponential schema must not have custom bounds";
      }
    } else {
      return "histogram has an invalid schema, which must be between " + MIN_SCHEMA + " and " + MAX_SCHEMA
          + " for exponential buckets, or " + CUSTOM_BUCKETS_SCHEMA + " for custom buckets, got schema " + schema;
    }
    if (count < 0) {
      // Prometheus' message has the two spaces.
      return "observation count is  " + GoFormat.plain(count) + ": histogram's observation count is negative";
    }
    String positive = negativeBucket(positiveCounts);
    if (positive != null) {
      return "positive side: " + positive;
    }
    if (integerCounts) {
      double inBuckets = zeroCount;
      for (double c : positiveCounts) {
        inBuckets += c;
      }
      for (double c : negativeCounts) {
        inBuckets += c;
      }
      String found = GoFormat.plain(inBuckets) + " observations found in buckets, but the Count field is "
          + GoFormat.plain(count) + ": ";
      if (Double.isNaN(sum)) {
        if (inBuckets > count) {
          return found + "histogram's observation count should be at least the number of observations found in the "
              + "buckets";
        }
      } else if (inBuckets != count) {
        return found + "histogram's observation count should equal the number of observations found in the buckets "
            + "(in absence of NaN)";
      }
    }
    return null;
  }

  private static final String NEGATIVE_BUCKET = "histogram has a bucket whose observation count is negative";

  private static String negativeBucket(double[] counts) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        return "bucket number " + (i + 1) + " has observation count of " + GoFormat.plain(counts[i]) + ": "
            + NEGATIVE_BUCKET;
      }
    }
    return null;
  }

  /** Prometheus' {@code checkHistogramSpans}; custom buckets refuse a negative offset in the first span too. */
  private static String spansProblem(Span[] spans, int counts, boolean firstMayNotBeNegative) {
    long covered = 0;
    for (int i = 0; i < spans.length; i++) {
      if (spans[i].offset() < 0 && (i > 0 || firstMayNotBeNegative)) {
        return "span number " + (i + 1) + " with offset " + spans[i].offset()
            + ": histogram has a span whose offset is negative";
      }
      covered += spans[i].length();
    }
    return covered == counts ? null : "spans need " + covered + " buckets, have " + counts
        + " buckets: histogram spans specify different number of buckets than provided";
  }

  /** Prometheus' {@code checkHistogramCustomBounds}. */
  private String customBoundsProblem() {
    double previous = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < customValues.length; i++) {
      double current = customValues[i];
      if (Double.isNaN(current)) {
        return "histogram custom bounds must not be NaN";
      }
      if (i > 0 && current <= previous) {
        return "previous bound is " + goFixed(previous) + " and current is " + goFixed(current)
            + ": histogram custom bounds must be in strictly increasing order";
      }
      previous = current;
    }
    if (previous == Double.POSITIVE_INFINITY) {
      return "last +Inf bound must not be explicitly defined: histogram custom bounds must be finite";
    }
    String spans = spansProblem(positiveSpans, positiveCounts.length, true);
    if (spans != null) {
      return spans;
    }
    long spanned = 0;
    for (Span span : positiveSpans) {
      spanned += span.offset() + span.length();
    }
    if (customValues.length + 1 < spanned) {
      return "only " + customValues.length + " custom bounds defined which is insufficient to cover total span "
          + "length of " + spanned + ": histogram custom bounds are too few";
    }
    return null;
  }

  /** Go's {@code %f}: six decimals, {@code +Inf} for infinity. */
  private static String goFixed(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(java.util.Locale.ROOT, "%.6f", v);
  }

  /** Receives buckets from {@link #forEachBucket}. */
  @FunctionalInterface
  public interface BucketVisitor {
    /**
     * @param boundaries Prometheus' boundary rule: 0 lower exclusive and upper inclusive, 1 lower inclusive and upper
     *     exclusive, 2 both exclusive, 3 both inclusive
     */
    void bucket(int boundaries, double lower, double upper, double count);
  }

  /**
   * Visits every bucket with a count, lowest first: negative buckets, the zero bucket, positive buckets. As
   * Prometheus' {@code AllBucketIterator} does, a bucket that reaches into the zero bucket is cut at the zero
   * threshold, and empty buckets are left out (what the HTTP API lists).
   */
  public void forEachBucket(BucketVisitor visitor) {
    if (negativeCounts.length > 0) {
      int[] indexes = indexes(negativeSpans, negativeCounts.length);
      for (int i = indexes.length - 1; i >= 0; i--) {
        if (negativeCounts[i] == 0) {
          continue;
        }
        double lower = -bound(indexes[i]);
        double upper = -bound(indexes[i] - 1);
        if (upper < 0 && upper > -zeroThreshold) {
          upper = -zeroThreshold;
        }
        visitor.bucket(rule(lower < 0, upper > 0), lower, upper, negativeCounts[i]);
      }
    }
    if (zeroCount > 0 && !usesCustomBuckets()) {
      visitor.bucket(3, -zeroThreshold, zeroThreshold, zeroCount);
    }
    int[] indexes = indexes(positiveSpans, positiveCounts.length);
    for (int i = 0; i < indexes.length; i++) {
      if (positiveCounts[i] == 0) {
        continue;
      }
      double lower = bound(indexes[i] - 1);
      double upper = bound(indexes[i]);
      if (usesCustomBuckets()) {
        visitor.bucket(rule(indexes[i] == 0, true), lower, upper, positiveCounts[i]);
        continue;
      }
      if (lower > 0 && lower < zeroThreshold) {
        lower = zeroThreshold;
      }
      visitor.bucket(rule(lower < 0, upper > 0), lower, upper, positiveCounts[i]);
    }
  }

  private static int rule(boolean lowerInclusive, boolean upperInclusive) {
    return lowerInclusive ? (upperInclusive ? 3 : 1) : (upperInclusive ? 0 : 2);
  }

  /** The bucket index of each count, from the spans. */
  private static int[] indexes(Span[] spans, int n) {
    int[] out = new int[n];
    int at = 0;
    int index = 0;
    for (int s = 0; s < spans.length && at < n; s++) {
      index += spans[s].offset();
      for (int j = 0; j < spans[s].length() && at < n; j++) {
        out[at++] = index++;
      }
    }
    return out;
  }

  /** The upper bound of bucket {@code index}. */
  double bound(int index) {
    if (usesCustomBuckets()) {
      if (index < 0) {
        return Double.NEGATIVE_INFINITY;
      }
      return index >= customValues.length ? Double.POSITIVE_INFINITY : customValues[index];
    }
    return exponentialBound(index, schema);
  }

  /**
   * The upper bound of bucket {@code index} of an exponential schema: 2^(index · 2^−schema). The last bucket before
   * the one for ±Inf observations ends at {@link Double#MAX_VALUE}, as in Prometheus, rather than at an overflowed
   * +Inf.
   *
   * <p>Prometheus reads the fractional powers from a table whose last digit is off by one against the correctly
   * rounded value in some entries; these are the correctly rounded ones, so a bound may print one unit in the last
   * place differently.
   */
  public static double exponentialBound(int index, int schema) {
    if (schema <= 0) {
      long exp = (long) index << -schema;
      if (exp == 1024) {
        return Double.MAX_VALUE;
      }
      return exp > 1024 ? Double.POSITIVE_INFINITY : Math.scalb(1.0, (int) Math.max(exp, -1100));
    }
    int perDoubling = 1 << schema;
    int fraction = index & (perDoubling - 1);
    long exp = (index >> schema) + 1; // floor division: bound = 2^exp · (2^(fraction / perDoubling) / 2)
    if (fraction == 0 && exp == 1025) {
      return Double.MAX_VALUE;
    }
    double frac = fraction == 0 ? 0.5 : Math.pow(2, (double) fraction / perDoubling) / 2;
    return exp > 1025 ? Double.POSITIVE_INFINITY : Math.scalb(frac, (int) Math.max(exp, -1100));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h && resetHint == h.resetHint && sameValue(h);
  }

  /** Equal apart from the reset hint, bit for bit: what a retried write of the same sample is. */
  public boolean sameValue(Histogram h) {
    return sameLayout(h)
        && Double.doubleToRawLongBits(zeroCount) == Double.doubleToRawLongBits(h.zeroCount)
        && Double.doubleToRawLongBits(count) == Double.doubleToRawLongBits(h.count)
        && Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(h.sum)
        && Arrays.equals(positiveCounts, h.positiveCounts) && Arrays.equals(negativeCounts, h.negativeCounts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(positiveCounts) * 31 + Double.hashCode(count) * 17 + Double.hashCode(sum) + schema;
  }

  @Override
  public String toString() {
    return "{count:" + GoFormat.plain(count) + ", sum:" + GoFormat.plain(sum) + ", schema:" + schema
        + (zeroCount != 0 || zeroThreshold != 0 ? ", zero:" + GoFormat.plain(zeroCount) + "@" + zeroThreshold : "")
        + (positiveCounts.length > 0 ? ", +" + Arrays.toString(positiveSpans) + Arrays.toString(positiveCounts) : "")
        + (negativeCounts.length > 0 ? ", -" + Arrays.toString(negativeSpans) + Arrays.toString(negativeCounts) : "")
        + (customValues.length > 0 ? ", bounds " + Arrays.toString(customValues) : "")
        + (resetHint != ResetHint.UNKNOWN ? ", " + resetHint : "") + "}";
  }
}

package io.sightline.promql.functions;

import java.util.Arrays;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over classic histograms: the {@code _bucket} series of one
 * group, as upper bounds ({@code le}) and cumulative counts (Prometheus' {@code promql/quantile.go}).
 */
public final class ClassicBuckets {
  /** Counts this close (relatively) are taken as equal: float noise, not a non-monotonic histogram. */
  private static final double SMALL_DELTA_TOLERANCE = 1e-12;

  private ClassicBuckets() {}

  /** What a quantile computation noticed, for the caller's annotations. */
  public static final class Notes {
    /** Counts were not monotonic and were fixed up ("input to histogram_quantile needed to be fixed for monotonicity"). */
    public boolean forcedMonotonic;
    /** Some bucket count was NaN. */
    public boolean hadNaN;
  }

  /**
   * The {@code q} quantile from {@code n} buckets (any order; sorted here in place by bound). NaN when there is no
   * {@code +Inf} bucket, fewer than two buckets or no observations; ±Inf for q out of [0, 1].
   */
  public static double quantile(double q, double[] upperBounds, double[] counts, int n, Notes notes) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    n = sortAndCoalesce(upperBounds, counts, n);
    if (n == 0 || upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    ensureMonotonic(upperBounds, counts, n, notes);
    if (n < 2) {
      return Double.NaN;
    }
    double observations = counts[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    // The first bucket (of all but +Inf) whose count reaches the rank.
    int b = 0;
    while (b < n - 1 && !(counts[b] >= rank)) {
      b++;
    }
    if (b == n - 1) {
      return upperBounds[n - 2];
    }
    if (b == 0 && upperBounds[0] <= 0) {
      return upperBounds[0];
    }
    double bucketStart = 0;
    double bucketEnd = upperBounds[b];
    double count = counts[b];
    if (b > 0) {
      bucketStart = upperBounds[b - 1];
      count -= counts[b - 1];
      rank -= counts[b - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /** The fraction of observations in {@code [lower, upper]}, interpolating within buckets. */
  public static double fraction(double lower, double upper, double[] upperBounds, double[] counts, int n,
      Notes notes) {
    n = sortAndCoalesce(upperBounds, counts, n);
    if (n == 0 || upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    double count = counts[n - 1];
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    double lowerBound = upperBounds[0] <= 0 ? Double.NEGATIVE_INFINITY : 0;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        lowerBound = upperBounds[i - 1];
      }
      double upperBound = upperBounds[i];
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = interpolate(lower, lowerBound, upperBound, rank, counts[i]);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = interpolate(upper, lowerBound, upperBound, rank, counts[i]);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = counts[i];
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  private static double interpolate(double v, double lowerBound, double upperBound, double rank, double count) {
    if (lowerBound == Double.NEGATIVE_INFINITY) {
      return count;
    }
    return rank + (count - rank) * (v - lowerBound) / (upperBound - lowerBound);
  }

  /** Sorts by bound (stably, as counts of equal bounds are summed anyway) and merges equal bounds; the new length. */
  private static int sortAndCoalesce(double[] bounds, double[] counts, int n) {
    if (n == 0) {
      return 0;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(bounds[a], bounds[b]));
    double[] b = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = bounds[order[i]];
      c[i] = counts[order[i]];
    }
    int out = 0;
    for (int i = 0; i < n; i++) {
      if (out > 0 && b[i] == bounds[out - 1]) {
        counts[out - 1] += c[i];
      } else {
        bounds[out] = b[i];
        counts[out] = c[i];
        out++;
      }
    }
    return out;
  }

  /** Prometheus' {@code ensureMonotonicAndIgnoreSmallDeltas}: a count below its predecessor is raised to it. */
  private static void ensureMonotonic(double[] bounds, double[] counts, int n, Notes notes) {
    double prev = counts[0];
    for (int i = 1; i < n; i++) {
      double curr = counts[i];
      if (curr == prev) {
        continue;
      }
      if (AlmostEqual.equal(prev, curr, SMALL_DELTA_TOLERANCE)) {
        counts[i] = prev;
        continue;
      }
      if (curr < prev) {
        counts[i] = prev;
        notes.forcedMonotonic = true;
        continue;
      }
      prev = curr;
    }
  }
}

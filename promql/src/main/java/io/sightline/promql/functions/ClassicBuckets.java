package io.sightline.promql.functions;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over classic histograms: the {@code _bucket} series of one
 * group, as upper bounds ({@code le}) and cumulative counts (Prometheus' {@code promql/quantile.go}).
 */
public final class ClassicBuckets {
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
    throw new UnsupportedOperationException();
  }

  /** The fraction of observations in {@code [lower, upper]}, interpolating within buckets. */
  public static double fraction(double lower, double upper, double[] upperBounds, double[] counts, int n, Notes notes) {
    throw new UnsupportedOperationException();
  }
}

package io.sightline.promql.functions;

/**
 * Prometheus' {@code util/almost.Equal}: equal, or both NaN, or within a relative {@code epsilon} (near zero, within
 * {@code epsilon} of the smallest normal double).
 */
public final class AlmostEqual {
  private AlmostEqual() {}

  public static boolean equal(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
      return diff < epsilon * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }
}

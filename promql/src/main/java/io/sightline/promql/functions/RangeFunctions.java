package io.sightline.promql.functions;

import io.sightline.promql.engine.Annotations;

/**
 * The functions over a range vector, one series and one step at a time: {@code rate}, {@code increase},
 * {@code delta}, {@code irate}, {@code idelta}, {@code changes}, {@code resets}, {@code deriv},
 * {@code predict_linear}, {@code double_exponential_smoothing}, the {@code *_over_time} family and
 * {@code ts_of_*_over_time}, with Prometheus 3's extrapolation and counter-reset rules ({@code promql/functions.go}).
 */
public final class RangeFunctions {
  private RangeFunctions() {}

  /**
   * Computes {@code function} over {@code window} into {@code out}. {@code scalars} holds the function's scalar
   * arguments at this step in argument order (e.g. {@code predict_linear}'s t, {@code quantile_over_time}'s q).
   * {@code absent_over_time} and {@code present_over_time} are computed here as "1 when not empty".
   */
  public static void eval(String function, Window window, double[] scalars, Output out, Annotations annotations) {
    throw new UnsupportedOperationException(function);
  }
}

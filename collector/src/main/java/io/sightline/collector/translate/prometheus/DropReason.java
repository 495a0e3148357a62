package io.sightline.collector.translate.prometheus;

import java.util.Locale;

/** Why data points were dropped; a fixed set, so that it can label a counter. */
public enum DropReason {
  /** The metric's name is empty or has no valid character (Prometheus refuses it too). */
  INVALID_METRIC_NAME,
  /** An attribute key is empty or only underscores (Prometheus refuses it too). */
  INVALID_LABEL_NAME,
  /** A sum or histogram without aggregation temporality. */
  INVALID_TEMPORALITY,
  /**
   * An exponential histogram no native histogram can hold: a scale below -4, or bucket counts of 2^63 or more, which
   * become negative in the integer form.
   */
  INVALID_EXPONENTIAL_HISTOGRAM,
  /** An exemplar without a value; Prometheus refuses the whole point. */
  INVALID_EXEMPLAR,
  /** A delta point older than, or overlapping, the last one of its stream. */
  DELTA_OUT_OF_ORDER,
  /** A delta point whose value or sum is NaN: adding it would turn the running total into NaN for good. */
  DELTA_NOT_A_NUMBER,
  /** A metric with no data type set. */
  UNSUPPORTED_METRIC_TYPE;

  /** The value for a {@code reason} label: {@code delta_out_of_order}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

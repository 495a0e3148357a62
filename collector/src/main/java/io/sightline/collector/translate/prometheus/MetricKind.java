package io.sightline.collector.translate.prometheus;

/** What an OTLP metric is, as far as its name is concerned (otlptranslator's {@code MetricType}). */
public enum MetricKind {
  GAUGE,
  /** A monotonic sum: gets {@code _total}. */
  MONOTONIC_COUNTER,
  /** A sum that may go down (an up-down counter): named and typed as a gauge. */
  NON_MONOTONIC_COUNTER,
  HISTOGRAM,
  EXPONENTIAL_HISTOGRAM,
  SUMMARY,
  UNKNOWN
}

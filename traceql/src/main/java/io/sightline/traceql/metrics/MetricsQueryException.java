package io.sightline.traceql.metrics;

/** A valid TraceQL query that is not a metrics query this engine evaluates; the message says which. */
public final class MetricsQueryException extends Exception {
  private static final long serialVersionUID = 1L;

  MetricsQueryException(String message) {
    super(message);
  }
}

package io.sightline.promql.engine;

/** What a PromQL expression evaluates to: Prometheus' four value types. */
public sealed interface Value permits Value.Scalar, Value.StringValue, Vector, Matrix {

  /** A number at the evaluation time. */
  record Scalar(long timestamp, double value) implements Value {}

  /** A string literal's value at the evaluation time. */
  record StringValue(long timestamp, String value) implements Value {}
}

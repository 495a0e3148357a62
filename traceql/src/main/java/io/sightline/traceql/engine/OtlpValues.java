package io.sightline.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.sightline.traceql.syntax.Static;

/** TraceQL values as OTLP values, as Tempo writes them in results (series labels, span attributes). */
public final class OtlpValues {
  private OtlpValues() {}

  /**
   * Tempo's {@code Static.AsAnyValue}: ints, floats and booleans keep their type; durations, status, kind and nil
   * become their TraceQL text.
   */
  public static AnyValue of(Static s) {
    return Values.toAnyValue(s);
  }
}

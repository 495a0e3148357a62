package io.sightline.traceql.engine;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * A span of a spanset. {@code attributes} holds the span's values of the fields the query names (its conditions,
 * {@code by()}, aggregates and {@code select()}), keyed by bare name ({@code service.name}, {@code status}) as Tempo
 * returns them; name, duration, ids and trace-level fields are never repeated there.
 */
public record SpanResult(String spanId, String name, long startTimeUnixNano, long durationNanos,
    List<KeyValue> attributes) {
  public SpanResult {
    attributes = List.copyOf(attributes);
  }
}

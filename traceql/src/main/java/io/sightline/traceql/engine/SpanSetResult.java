package io.sightline.traceql.engine;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * A matched spanset: at most {@code spss} spans, {@code matched} the count before that cut, and the attributes the
 * pipeline attached ({@code by(...)} values, aggregate results such as {@code count()}).
 */
public record SpanSetResult(List<SpanResult> spans, int matched, List<KeyValue> attributes) {
  public SpanSetResult {
    spans = List.copyOf(spans);
    attributes = List.copyOf(attributes);
  }
}

package io.sightline.traceql.engine;

import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.Scope;
import io.sightline.traceql.syntax.Static;

/**
 * A span that a spanset pipeline returned, with what TraceQL can read of it: metrics and tag-value lookups work on
 * these rather than on search results, which keep only a few fields per span.
 */
public final class MatchedSpan {
  private final SpanView view;

  MatchedSpan(SpanView view) {
    this.view = view;
  }

  /** The OTLP span itself. */
  public Span span() {
    return view.span;
  }

  /** The resource the span came with. */
  public io.opentelemetry.proto.resource.v1.Resource resource() {
    return view.resource;
  }

  /** The instrumentation scope the span came with. */
  public io.opentelemetry.proto.common.v1.InstrumentationScope instrumentationScope() {
    return view.scope;
  }

  public long startTimeUnixNano() {
    return view.span.getStartTimeUnixNano();
  }

  public long durationNanos() {
    return view.durationNanos();
  }

  /** The trace id as Tempo writes it: hex without leading zeros. */
  public String traceId() {
    return view.trace.traceId;
  }

  /** The span id as Tempo writes it: 16 hex digits. */
  public String spanId() {
    return Hex.spanId(view.span.getSpanId());
  }

  /**
   * The value of a field as TraceQL reads it, nil when absent. Event and link fields come from the first event or link
   * that has them, as search results report them.
   */
  public Static read(Attribute a) {
    if (Evaluator.uses(a, Scope.EVENT)) {
      for (Span.Event ev : view.span.getEventsList()) {
        Static v = Attributes.read(a, view, ev, null);
        if (!v.isNil()) {
          return v;
        }
      }
      return Static.NIL;
    }
    if (Evaluator.uses(a, Scope.LINK)) {
      for (Span.Link link : view.span.getLinksList()) {
        Static v = Attributes.read(a, view, null, link);
        if (!v.isNil()) {
          return v;
        }
      }
      return Static.NIL;
    }
    return Attributes.read(a, view, null, null);
  }
}

package io.sightline.traceql.engine;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A span with what TraceQL reads around it: its resource and scope, and Tempo's nested-set numbers, which are zero
 * for spans not reachable from a root (Tempo never relates those structurally).
 */
final class SpanView {
  final TraceView trace;
  final Span span;
  final Resource resource;
  final InstrumentationScope scope;
  final int index;
  SpanView parent;
  int childCount;
  int nestedSetLeft;
  int nestedSetRight;
  int nestedSetParent;

  SpanView(TraceView trace, Span span, Resource resource, InstrumentationScope scope, int index) {
    this.trace = trace;
    this.span = span;
    this.resource = resource;
    this.scope = scope;
    this.index = index;
  }

  long durationNanos() {
    return span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
  }
}

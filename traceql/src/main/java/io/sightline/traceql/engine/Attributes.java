package io.sightline.traceql.engine;

import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.Static;

/** Reads a field of a span: intrinsics, and attributes by scope; unscoped means the span's, else the resource's. */
final class Attributes {
  private Attributes() {}

  static Static read(Attribute a, SpanView s, Span.Event ev, Span.Link link) {
    if (a.intrinsic() != null) {
      return intrinsic(a, s, ev, link);
    }
    return switch (a.scope()) {
      case SPAN -> Values.find(s.span.getAttributesList(), a.name());
      case RESOURCE -> Values.find(s.resource.getAttributesList(), a.name());
      case EVENT -> ev == null ? Static.NIL : Values.find(ev.getAttributesList(), a.name());
      case LINK -> link == null ? Static.NIL : Values.find(link.getAttributesList(), a.name());
      case INSTRUMENTATION -> Values.find(s.scope.getAttributesList(), a.name());
      case NONE -> {
        Static v = Values.find(s.span.getAttributesList(), a.name());
        yield v.isNil() ? Values.find(s.resource.getAttributesList(), a.name()) : v;
      }
    };
  }

  private static Static intrinsic(Attribute a, SpanView s, Span.Event ev, Span.Link link) {
    Span span = s.span;
    return switch (a.intrinsic()) {
      case DURATION -> Static.ofDuration(s.durationNanos());
      case NAME -> Static.ofString(span.getName());
      case STATUS -> Values.status(span.getStatus().getCodeValue());
      case STATUS_MESSAGE -> Static.ofString(span.getStatus().getMessage());
      case KIND -> Values.kind(span.getKindValue());
      case SPAN_ID -> Static.ofString(Hex.spanId(span.getSpanId()));
      case PARENT_ID -> span.getParentSpanId().isEmpty() ? Static.NIL
          : Static.ofString(Hex.spanId(span.getParentSpanId()));
      case CHILD_COUNT -> Static.ofInt(s.childCount);
      case TRACE_DURATION -> Static.ofDuration(s.trace.end - s.trace.start);
      case TRACE_ROOT_NAME -> Static.ofString(s.trace.rootSpanName());
      case TRACE_ROOT_SERVICE -> Static.ofString(s.trace.rootServiceName());
      case TRACE_ID -> Static.ofString(s.trace.traceId);
      case EVENT_NAME -> ev == null ? Static.NIL : Static.ofString(ev.getName());
      case EVENT_TIME_SINCE_START -> ev == null ? Static.NIL
          : Static.ofDuration(ev.getTimeUnixNano() - span.getStartTimeUnixNano());
      case LINK_TRACE_ID -> link == null ? Static.NIL : Static.ofString(Hex.traceId(link.getTraceId()));
      case LINK_SPAN_ID -> link == null ? Static.NIL : Static.ofString(Hex.spanId(link.getSpanId()));
      case INSTRUMENTATION_NAME -> Static.ofString(s.scope.getName());
      case INSTRUMENTATION_VERSION -> Static.ofString(s.scope.getVersion());
      case NESTED_SET_LEFT -> Static.ofInt(s.nestedSetLeft);
      case NESTED_SET_RIGHT -> Static.ofInt(s.nestedSetRight);
      case NESTED_SET_PARENT -> Static.ofInt(s.nestedSetParent);
      case PARENT -> Static.NIL;
    };
  }
}

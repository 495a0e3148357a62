package io.sightline.tracestore.model;

import io.opentelemetry.proto.trace.v1.Span;

/** A span with the resource and scope it belongs to. Equal when both are: the unit of de-duplication. */
public record SpanRef(SpanGroup group, Span span) {}

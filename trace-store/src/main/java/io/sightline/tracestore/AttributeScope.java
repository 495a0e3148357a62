package io.sightline.tracestore;

/** Where an attribute sits in OTLP (TraceQL's {@code resource.}, {@code span.}, {@code event.}, {@code link.},
 * {@code instrumentation.}). */
public enum AttributeScope { RESOURCE, SPAN, EVENT, LINK, INSTRUMENTATION }

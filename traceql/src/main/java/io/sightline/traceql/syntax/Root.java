package io.sightline.traceql.syntax;

/** What a whole query computes: spansets (search) or series (TraceQL metrics). */
public sealed interface Root permits SpansetQuery, MetricsQuery, MetricsMath, MetricsConstant {}

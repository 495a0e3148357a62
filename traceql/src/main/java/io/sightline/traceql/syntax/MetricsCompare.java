package io.sightline.traceql.syntax;

/** {@code compare({selection}, topN, start, end)}; zero start and end mean the query's range. */
public record MetricsCompare(SpansetFilter selection, long topN, long start, long end) implements FirstStage {}

package io.sightline.traceql.syntax;

/** The function that turns spans into series. */
public sealed interface FirstStage permits MetricsAggregate, MetricsCompare {}

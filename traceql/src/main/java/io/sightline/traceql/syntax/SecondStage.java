package io.sightline.traceql.syntax;

/** What is applied to the series of a metrics query: {@code topk}, {@code bottomk}, a comparison filter. */
public sealed interface SecondStage permits TopK, MetricsFilter {}

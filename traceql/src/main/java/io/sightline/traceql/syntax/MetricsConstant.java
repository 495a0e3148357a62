package io.sightline.traceql.syntax;

/** A number on one side of metrics arithmetic, folded at parse time as Tempo does. */
public record MetricsConstant(double value) implements Root {}

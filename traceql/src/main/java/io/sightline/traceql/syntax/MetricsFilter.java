package io.sightline.traceql.syntax;

/** {@code > 10} after a metrics function: keeps the samples that compare true. */
public record MetricsFilter(Op op, Static value) implements SecondStage {}

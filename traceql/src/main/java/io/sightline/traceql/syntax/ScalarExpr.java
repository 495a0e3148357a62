package io.sightline.traceql.syntax;

/** A number computed over a spanset: aggregates, literals, arithmetic on them, or a wrapped scalar pipeline. */
public sealed interface ScalarExpr permits Aggregate, Static, ScalarOperation, ScalarPipeline {}

package io.sightline.traceql.syntax;

/** {@code ({ } | count())}: a pipeline ending in an aggregate, used as a number. */
public record ScalarPipeline(Pipeline pipeline, Aggregate aggregate) implements ScalarExpr {}

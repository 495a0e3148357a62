package io.sightline.promql.parser;

/**
 * A PromQL expression. So far the only kind is the vector selector; the PromQL milestone adds the others as records
 * here, and the evaluator's exhaustive {@code switch} then tells every place that must handle them.
 */
public sealed interface Expr permits VectorSelector {}

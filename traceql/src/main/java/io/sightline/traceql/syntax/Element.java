package io.sightline.traceql.syntax;

/** A stage of a spanset pipeline, or a spanset expression made of them. */
public sealed interface Element
    permits SpansetFilter, SpansetOperation, Pipeline, ScalarFilter, GroupBy, Coalesce, Select {}

package io.sightline.traceql.syntax;

/** A search: a spanset expression or pipeline. */
public record SpansetQuery(Element element) implements Root {}

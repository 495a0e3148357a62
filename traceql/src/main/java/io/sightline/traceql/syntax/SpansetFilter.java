package io.sightline.traceql.syntax;

/** {@code { expr }}: the spans for which {@code expr} is true; {@code {}} is {@code { true }}. */
public record SpansetFilter(FieldExpr expr) implements Element {}

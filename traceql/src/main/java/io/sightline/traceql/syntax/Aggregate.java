package io.sightline.traceql.syntax;

/** {@code count()}, {@code avg(x)}, {@code min(x)}, {@code max(x)}, {@code sum(x)}; {@code expr} is null for count. */
public record Aggregate(AggregateOp op, FieldExpr expr) implements ScalarExpr {}

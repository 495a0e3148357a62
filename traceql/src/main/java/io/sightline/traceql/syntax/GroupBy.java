package io.sightline.traceql.syntax;

/** {@code by(expr)}: splits every spanset into one per value of {@code expr}. */
public record GroupBy(FieldExpr expr) implements Element {}

package io.sightline.traceql.syntax;

/** {@code count() > 3}: keeps the spansets whose aggregate compares true. */
public record ScalarFilter(Op op, ScalarExpr lhs, ScalarExpr rhs) implements Element {}

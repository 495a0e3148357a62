package io.sightline.traceql.syntax;

public record ScalarOperation(Op op, ScalarExpr lhs, ScalarExpr rhs) implements ScalarExpr {}

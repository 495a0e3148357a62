package io.sightline.traceql.syntax;

public record BinaryOperation(Op op, FieldExpr lhs, FieldExpr rhs) implements FieldExpr {}

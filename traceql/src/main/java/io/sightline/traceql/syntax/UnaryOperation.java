package io.sightline.traceql.syntax;

/** {@code !x}, {@code -x}, and the nil tests {@code x != nil} ({@link Op#EXISTS}) and {@code x = nil}. */
public record UnaryOperation(Op op, FieldExpr expr) implements FieldExpr {}

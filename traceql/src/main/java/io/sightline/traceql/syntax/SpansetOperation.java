package io.sightline.traceql.syntax;

/** Two spanset expressions joined by a logical or structural operator. */
public record SpansetOperation(SpansetOperator op, Element lhs, Element rhs) implements Element {}

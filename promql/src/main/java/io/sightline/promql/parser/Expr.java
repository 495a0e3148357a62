package io.sightline.promql.parser;

/**
 * A PromQL expression: a sealed family of records, so that the evaluator's exhaustive {@code switch} names every
 * place a new kind must be handled.
 */
public sealed interface Expr permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, Subquery,
    ParenExpr, UnaryExpr, BinaryExpr, Call, AggregateExpr {

  /** The expression's type, known from the syntax alone. */
  ValueType type();
}

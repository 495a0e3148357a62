package io.sightline.traceql.syntax;

/** An expression evaluated on one span, inside a spanset filter {@code { }} or as the argument of a pipeline stage. */
public sealed interface FieldExpr permits Static, Attribute, BinaryOperation, UnaryOperation {}

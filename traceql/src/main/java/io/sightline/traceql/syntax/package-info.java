/** TraceQL syntax as Tempo's {@code pkg/traceql} reads it: lexer, precedence-climbing parser, AST records, printer, validation. */
package io.sightline.traceql.syntax;

/**
 * LogQL syntax as Loki's {@code pkg/logql/syntax} has it: the lexer, an LALR(1) parser built from Loki's grammar
 * with goyacc's tables (so that errors name the tokens Loki's do), the AST (sealed interfaces of records) whose
 * {@code toString()} is Loki's {@code String()}, and the regex and pattern syntaxes the stages use.
 */
package io.sightline.logql.syntax;

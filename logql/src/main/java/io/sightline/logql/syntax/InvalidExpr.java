package io.sightline.logql.syntax;

/**
 * A metric expression Loki builds with an error inside (its {@code err} field) and reports only when validation
 * reaches it, so that the first error in validation order wins, as in Loki. Never in a tree that parsed.
 */
record InvalidExpr(ParseException error, boolean literal) implements SampleExpr {}

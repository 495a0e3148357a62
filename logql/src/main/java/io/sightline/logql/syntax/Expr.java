package io.sightline.logql.syntax;

/**
 * A parsed LogQL query: a log query ({@link LogSelectorExpr}) or a metric query ({@link SampleExpr}). Every node's
 * {@code toString()} is Loki's {@code String()} of the same node, which {@code /loki/api/v1/format_query} and query
 * splitting rely on.
 */
public sealed interface Expr permits LogSelectorExpr, SampleExpr {}

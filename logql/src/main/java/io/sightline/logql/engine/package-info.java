/**
 * The LogQL query engine, as Loki's {@code pkg/logql} engine: {@link io.sightline.logql.engine.LogqlEngine} runs log
 * queries (selector and pipeline, direction, limit) and metric queries (range aggregations, unwrap, vector
 * aggregations, binary operations, label_replace, vector()) on Loki's step grid over a {@link
 * io.sightline.logstore.LogQuerier}, with Loki's limits, errors and query statistics.
 */
package io.sightline.logql.engine;

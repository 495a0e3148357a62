/**
 * The per-line pipeline of LogQL, as Loki's {@code pkg/logql/log}: {@link io.sightline.logql.log.Pipeline} for log
 * queries and {@link io.sightline.logql.log.SampleExtractor} for metric queries, each compiled once per query and
 * run per stream over lines as bytes, with Loki's labels, error labels and stage errors.
 */
package io.sightline.logql.log;

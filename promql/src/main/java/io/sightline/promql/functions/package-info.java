/**
 * What PromQL's functions compute, by family: over range windows ({@link io.sightline.promql.functions.RangeFunctions}),
 * per sample, and over histogram buckets. The engine feeds them; they know nothing of storage.
 */
package io.sightline.promql.functions;

/**
 * PromQL evaluation as Prometheus 3 does it: every expression is evaluated over all the steps of the query at once,
 * into series of points; instant queries are range queries of one step.
 */
package io.sightline.promql.engine;

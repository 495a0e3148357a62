/**
 * The Prometheus HTTP API ({@code /api/v1/*}) in Prometheus' exact shapes: the JSON envelope, error types and status
 * codes, value and timestamp formats. Queries evaluate plain series selectors until the PromQL engine lands.
 */
package io.sightline.api.prometheus;

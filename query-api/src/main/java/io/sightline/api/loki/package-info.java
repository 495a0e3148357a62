/**
 * Loki's HTTP query API ({@code /loki/api/v1/...}) over the log store and the LogQL engine: queries, labels,
 * series, index statistics and volumes, detected fields and labels, format_query, build info, the Logs Drilldown
 * limits and tail over WebSocket, with Loki's JSON shapes, parameters, defaults and plain-text errors. Mount with
 * {@link io.sightline.api.loki.LokiApi#addRoutes}.
 */
package io.sightline.api.loki;

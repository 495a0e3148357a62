/**
 * The demo shop: an order service that calls an inventory and a payment service over HTTP, each instrumented by
 * hand with the OpenTelemetry Java SDK (server and client spans with W3C trace context, database and external-API
 * spans, {@code http.server.request.duration} histograms whose exemplars carry trace ids, business metrics, and JSON
 * logs with trace context), plus a traffic generator with occasional latency spikes and about 2% declined payments.
 * It exports OTLP like any instrumented application and knows nothing of the server it sends to.
 */
package io.sightline.demo;

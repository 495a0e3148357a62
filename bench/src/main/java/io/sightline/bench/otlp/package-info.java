/**
 * OTLP load generation: realistic spans, metric points or log records, serialized once up front and sent over gRPC or
 * HTTP with a fixed number of requests in flight, so that the generator spends its CPU on sending, not on building.
 */
package io.sightline.bench.otlp;

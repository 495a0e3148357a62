/**
 * Zipkin v2 spans (JSON and proto3, as {@code POST /api/v2/spans} takes them) decoded and translated to OTLP exactly as
 * the OpenTelemetry Collector's zipkin receiver translates them; it knows no store.
 */
package io.sightline.collector.receiver.zipkin;

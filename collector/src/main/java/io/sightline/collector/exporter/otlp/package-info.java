/** The Collector's {@code otlp} exporter: OTLP over gRPC, with the exporterhelper's queue and retries. */
package io.sightline.collector.exporter.otlp;

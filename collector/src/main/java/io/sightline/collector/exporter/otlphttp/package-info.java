/** The Collector's {@code otlphttp} exporter: OTLP over HTTP (protobuf or JSON), with the exporterhelper's queue. */
package io.sightline.collector.exporter.otlphttp;

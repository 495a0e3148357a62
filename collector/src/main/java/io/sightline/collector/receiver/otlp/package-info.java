/**
 * The OTLP receiver ({@code otlp}): gRPC and HTTP (protobuf and JSON, compressed or not) for traces, metrics and
 * logs, answering exactly as the OTLP specification and the Collector do.
 */
package io.sightline.collector.receiver.otlp;

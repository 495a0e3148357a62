package io.sightline.collector.pipeline;

/**
 * A batch of one signal as it flows through a pipeline. The payload is the OTLP message tree, like the
 * Collector's pdata; it is immutable, so a fan-out hands the same instance to every exporter without copying.
 */
public sealed interface Telemetry permits Traces, Metrics, Logs {

  Signal signal();

  /** Spans, metric data points or log records in this batch: the unit of every count and limit. */
  int itemCount();

  /** The serialized size of the batch in bytes (computed once and cached by protobuf). */
  int serializedSize();
}

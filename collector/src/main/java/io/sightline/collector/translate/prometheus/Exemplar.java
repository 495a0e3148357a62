package io.sightline.collector.translate.prometheus;

import io.sightline.core.model.Labels;

/**
 * A Prometheus exemplar made from an OTLP one: {@code trace_id} and {@code span_id} in lower-case hex, plus the
 * exemplar's filtered attributes when all of it fits in 128 characters (OpenMetrics' limit).
 */
public record Exemplar(Labels labels, long timestampMs, double value) {}

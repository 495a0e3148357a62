package io.sightline.metricstore;

import io.sightline.core.model.Labels;

/** A sample with labels that point at what produced it, typically {@code trace_id} and {@code span_id}. */
public record Exemplar(Labels labels, long timestampMs, double value) {}

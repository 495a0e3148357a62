package io.sightline.traceql.metrics;

import java.util.List;

/** A span that stands for a series at a time: its trace and span ids and the value it contributed. */
public record Exemplar(List<Label> labels, double value, long timestampMs) {
  public Exemplar {
    labels = List.copyOf(labels);
  }
}

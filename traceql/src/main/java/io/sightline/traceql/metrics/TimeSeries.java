package io.sightline.traceql.metrics;

import java.util.List;

/** A result series: labels in Tempo's order, samples oldest first (intervals without a value left out), exemplars. */
public record TimeSeries(List<Label> labels, List<Sample> samples, List<Exemplar> exemplars) {
  public TimeSeries {
    labels = List.copyOf(labels);
    samples = List.copyOf(samples);
    exemplars = List.copyOf(exemplars);
  }
}

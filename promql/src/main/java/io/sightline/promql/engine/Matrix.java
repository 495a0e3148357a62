package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.util.List;

/** A range vector, or a range query's result: per series, its points in time order. */
public record Matrix(List<Series> series) implements Value {

  public Matrix {
    series = List.copyOf(series);
  }

  /**
   * One series' points: {@code count} timestamps and float values; {@code histograms} is null when every point is a
   * float, else holds each point's histogram (null at the float points, whose value is in {@code values}).
   */
  public record Series(Labels labels, long[] timestamps, double[] values, Histogram[] histograms, int count) {

    public Histogram histogram(int i) {
      return histograms == null ? null : histograms[i];
    }
  }
}

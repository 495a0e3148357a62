package io.sightline.promql.engine;

import java.util.List;

/** An instant vector: one sample per series, all at the same evaluation time. */
public record Vector(List<Sample> samples) implements Value {

  public Vector {
    samples = List.copyOf(samples);
  }
}

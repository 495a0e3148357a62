package io.sightline.promql.parser;

import java.util.List;

/**
 * How a binary operation between two vectors pairs their samples: by all labels but the name (the default), only by
 * {@code on(labels)}, or by all but {@code ignoring(labels)}; one to one, or many to one with {@code group_left} or
 * {@code group_right} and the labels those copy from the "one" side.
 */
public record VectorMatching(Cardinality cardinality, List<String> labels, boolean on, List<String> include) {
  public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

  public static final VectorMatching DEFAULT = new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());

  public VectorMatching {
    labels = List.copyOf(labels);
    include = List.copyOf(include);
  }
}

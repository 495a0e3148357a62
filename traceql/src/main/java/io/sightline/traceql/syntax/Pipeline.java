package io.sightline.traceql.syntax;

import java.util.List;

/** Stages joined by {@code |}, each applied to the spansets the previous one returned. */
public record Pipeline(List<Element> stages) implements Element {
  public Pipeline {
    stages = List.copyOf(stages);
  }
}

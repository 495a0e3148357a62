package io.sightline.traceql.syntax;

import java.util.List;

/** {@code select(a, b)}: returns these fields with the matched spans. */
public record Select(List<Attribute> attributes) implements Element {
  public Select {
    attributes = List.copyOf(attributes);
  }
}

package io.sightline.traceql.syntax;

import java.util.List;
import java.util.Optional;

/** A parsed query: what it computes and its {@code with (...)} hints, in the order written. */
public record Query(Root root, List<Hint> hints) {
  public Query {
    hints = List.copyOf(hints);
  }

  /** The last value given to a hint, as Tempo reads them. */
  public Optional<Static> hint(String name) {
    Static found = null;
    for (Hint h : hints) {
      if (h.name().equals(name)) {
        found = h.value();
      }
    }
    return Optional.ofNullable(found);
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}

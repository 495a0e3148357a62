package io.sightline.server.embedded;

import java.util.List;

/**
 * Where the spans the trace store has just committed go next (the metrics generator): each resource as its OTLP
 * {@code ResourceSpans} encoding, the bytes it came in where the batch kept them.
 */
@FunctionalInterface
public interface StoredSpans {
  StoredSpans NONE = resources -> { };

  void stored(List<byte[]> resources);
}

package io.sightline.server.embedded;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.function.Function;

/**
 * Where the spans the trace store has just committed go next (the metrics generator), with each span's encoded size
 * where the batch's wire encoding gives it ({@code encodedSizes}: by scope and span for a resource, or null).
 */
@FunctionalInterface
public interface StoredSpans {
  StoredSpans NONE = (spans, sizes) -> { };

  void stored(List<ResourceSpans> spans, Function<ResourceSpans, int[][]> encodedSizes);
}

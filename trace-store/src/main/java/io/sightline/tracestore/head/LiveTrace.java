package io.sightline.tracestore.head;

import io.sightline.tracestore.model.SpanRef;
import java.util.ArrayList;
import java.util.List;

/** The spans of one trace in the head, and what the upkeep needs to know about them. Guarded by the head's lock. */
final class LiveTrace {
  final List<SpanRef> spans = new ArrayList<>(4);
  /** OTLP-encoded bytes of the spans: what the per-trace limit and the block size count. */
  long bytes;
  final long firstAppendNanos;
  long lastAppendNanos;
  long minStart = Long.MAX_VALUE;
  long maxEnd = Long.MIN_VALUE;

  LiveTrace(long now) {
    this.firstAppendNanos = now;
    this.lastAppendNanos = now;
  }

  void add(SpanRef ref, int size, long now) {
    spans.add(ref);
    bytes += size;
    lastAppendNanos = now;
    minStart = Math.min(minStart, ref.startNanos());
    maxEnd = Math.max(maxEnd, ref.endNanos());
  }
}

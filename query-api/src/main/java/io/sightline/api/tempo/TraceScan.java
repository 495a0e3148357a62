package io.sightline.api.tempo;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.tracestore.FetchRequest;
import io.sightline.tracestore.TraceStore;
import java.io.IOException;

/**
 * One request's read of the store, newest traces first, within the API's budget: it stops when the consumer has
 * enough or when the traces or bytes read reach {@link TempoApi.Limits}, and counts what it read for the response's
 * metrics.
 */
final class TraceScan {
  @FunctionalInterface
  interface Visitor {
    /** Returns false when it has enough. */
    boolean visit(TracesData trace);
  }

  long inspectedTraces;
  long inspectedBytes;
  /** Whether the budget, not the consumer, ended the scan: the answer may miss traces. */
  boolean truncated;

  static TraceScan run(TraceStore store, FetchRequest request, TempoApi.Limits limits, Visitor visitor)
      throws IOException {
    TraceScan scan = new TraceScan();
    FetchRequest bounded = new FetchRequest(request.startNanos(), request.endNanos(), request.conditions(),
        request.minDurationNanos(), request.maxDurationNanos(), Math.min(request.limit(), limits.maxTraces()));
    store.fetch(bounded, (id, trace) -> {
      scan.inspectedTraces++;
      scan.inspectedBytes += trace.getSerializedSize();
      if (!visitor.visit(trace)) {
        return false;
      }
      if (scan.inspectedBytes >= limits.maxBytes() || scan.inspectedTraces >= limits.maxTraces()) {
        scan.truncated = true;
        return false;
      }
      return true;
    });
    return scan;
  }
}

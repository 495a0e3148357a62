package io.sightline.tracestore;

import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;

/** Receives the traces of a {@link TraceStore#fetch}; returns false to stop. */
@FunctionalInterface
public interface TraceConsumer {
  boolean accept(byte[] traceId, TracesData trace) throws IOException;
}

package io.sightline.tracestore;

import java.util.HexFormat;

/**
 * A trace would grow past {@link TraceStoreConfig#maxBytesPerTrace()}: Tempo's {@code TRACE_TOO_LARGE}. The spans of
 * the refused append are not added; the trace keeps what it had. A receiver reports them as rejected.
 */
public final class TraceTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final byte[] traceId;

  public TraceTooLargeException(byte[] traceId, long bytes, long limit) {
    super("trace " + HexFormat.of().formatHex(traceId) + " would hold " + bytes + " bytes of spans, more than the limit of "
        + limit + " bytes per trace");
    this.traceId = traceId.clone();
  }

  public byte[] traceId() {
    return traceId.clone();
  }
}

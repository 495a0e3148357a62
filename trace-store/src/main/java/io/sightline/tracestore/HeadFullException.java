package io.sightline.tracestore;

/**
 * An append refused because the traces in memory already hold {@code max_live_bytes}: nothing of the call is added.
 * It passes as soon as a block cut takes complete traces out of memory, so senders should retry.
 */
public final class HeadFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HeadFullException(long bytes, long limit) {
    super("max live traces bytes exceeded: the traces in memory hold " + bytes + " bytes of spans, the limit is "
        + limit + " (storage.traces.max_live_bytes)");
  }
}

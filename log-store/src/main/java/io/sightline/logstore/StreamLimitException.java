package io.sightline.logstore;

/** A new stream would exceed {@code storage.logs.max_streams}; Loki answers such pushes with 429. */
public final class StreamLimitException extends Exception {
  private final int limit;

  public StreamLimitException(int limit) {
    super("maximum active stream limit exceeded (limit: " + limit + ")");
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}

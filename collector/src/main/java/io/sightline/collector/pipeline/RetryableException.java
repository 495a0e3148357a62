package io.sightline.collector.pipeline;

import java.time.Duration;

/**
 * The batch was not taken, and sending it again later may succeed. A receiver turns it into HTTP 429 or gRPC
 * RESOURCE_EXHAUSTED when {@link #overload()} (the client should slow down), otherwise HTTP 503 or gRPC UNAVAILABLE;
 * both with a retry delay ({@code Retry-After}, {@code RetryInfo}) that OTLP clients honour.
 */
public final class RetryableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;
  private final boolean overload;

  public RetryableException(String message, Duration retryAfter, boolean overload) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
    this.overload = overload;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public boolean overload() {
    return overload;
  }
}

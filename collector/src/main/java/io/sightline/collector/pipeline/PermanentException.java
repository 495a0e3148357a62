package io.sightline.collector.pipeline;

/** The batch can never be taken as it is; clients must not send it again (HTTP 400, gRPC INVALID_ARGUMENT). */
public final class PermanentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PermanentException(String message) {
    super(message);
  }
}

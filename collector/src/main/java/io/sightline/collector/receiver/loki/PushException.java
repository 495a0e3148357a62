package io.sightline.collector.receiver.loki;

/**
 * A push that is answered without storing anything: the status and the message Loki answers with (400 for a body
 * that does not decode, 413 past a size limit, 429 past the ingestion rate).
 */
public final class PushException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  public PushException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

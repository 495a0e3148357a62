package io.sightline.collector.receiver.prometheusremotewrite;

/** A write request that cannot be taken as sent: the sender must not retry it (HTTP 400). */
public final class RemoteWriteException extends Exception {
  private static final long serialVersionUID = 1L;

  public RemoteWriteException(String message) {
    super(message);
  }
}

package io.sightline.collector.receiver.zipkin;

/** A Zipkin request body that cannot be taken as sent: the sender must not retry it (HTTP 400). */
public final class ZipkinFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  ZipkinFormatException(String message) {
    super(message);
  }
}

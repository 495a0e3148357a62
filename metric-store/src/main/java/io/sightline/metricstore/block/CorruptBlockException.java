package io.sightline.metricstore.block;

/** A block's files do not parse or fail a checksum. */
public final class CorruptBlockException extends RuntimeException {
  public CorruptBlockException(String message) {
    super(message);
  }
}

package io.sightline.core.model;

/**
 * Prometheus' staleness marker: the sample value that says a series has ended (its scrape target went, or it
 * vanished from a scrape). A NaN no arithmetic produces, so it is told apart by its exact bits.
 */
public final class StaleMarker {
  /** The marker's bit pattern. */
  public static final long BITS = 0x7ff0000000000002L;
  /** The marker as a sample value. */
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleMarker() {}

  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}

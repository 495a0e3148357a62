package io.sightline.collector.receiver.loki;

/**
 * Loki's ingestion rate limit: a token bucket of {@code burst} bytes filling at {@code rate} bytes a second
 * ({@code golang.org/x/time/rate}, as the distributor reserves from it). A push is admitted whole if the bucket holds
 * its bytes, and then takes them; otherwise it is refused and takes nothing, so that the client's retry is not
 * charged twice. The bucket starts full.
 */
final class IngestionRateLimiter {
  private final double bytesPerSecond;
  private final long burst;
  private double tokens;
  private long last;
  private boolean started;

  IngestionRateLimiter(double bytesPerSecond, long burstBytes) {
    this.bytesPerSecond = bytesPerSecond;
    this.burst = burstBytes;
    this.tokens = burstBytes;
  }

  /** Whether {@code bytes} may go in at {@code nowNanos} (any monotonic clock); they are taken if so. */
  synchronized boolean tryAcquire(long bytes, long nowNanos) {
    if (started && nowNanos > last) {
      tokens = Math.min(burst, tokens + (nowNanos - last) * bytesPerSecond / 1e9);
    }
    if (!started || nowNanos > last) {
      last = nowNanos;
      started = true;
    }
    if (bytes > burst || tokens < bytes) {
      return false;
    }
    tokens -= bytes;
    return true;
  }

  /** The limit as Loki prints it in its message: whole bytes per second. */
  long limitBytesPerSecond() {
    return (long) bytesPerSecond;
  }
}

package io.sightline.collector.processor.memorylimiter;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import java.time.Duration;

/**
 * The memory limiter's judgement for a write path outside the pipelines (remote write goes straight to the store):
 * the same keys, the same after-GC measurement, the same retryable refusal.
 */
public final class HeapGuard implements AutoCloseable {
  private final MemoryLimiter limiter;
  private boolean started;

  private HeapGuard(MemoryLimiter limiter) {
    this.limiter = limiter;
  }

  /**
   * Reads the memory limiter's keys ({@code check_interval}, {@code limit_percentage}, …) from {@code m}; an empty map
   * means the defaults of Sightline's own pipelines: checked every second, refusing above 80 % of the heap less a
   * 20 % spike allowance, and a GC forced at most every 10 s. Forcing one at every check above the hard limit, the
   * Collector's default, would cost a busy JVM up to a full collection a second: its heap passes that limit between
   * young collections as a matter of course.
   */
  public static HeapGuard parse(ConfigMap m, ObsReport obs, String name) {
    MemoryLimiterConfig config = m.isEmpty()
        ? new MemoryLimiterConfig(Duration.ofSeconds(1), 0, 0, 80, 20, MemoryLimiterConfig.DEFAULT_MIN_GC_INTERVAL_SOFT,
            Duration.ofSeconds(10))
        : MemoryLimiterConfig.parse(m);
    return new HeapGuard(MemoryLimiter.forThisJvm(config, obs.memoryLimiter(ComponentId.parse(name))));
  }

  public synchronized void start() {
    if (!started) {
      limiter.acquire();
      started = true;
    }
  }

  /** Whether writes should be refused now (retryably). */
  public boolean refusing() {
    return limiter.refusing();
  }

  /** What to tell a refused client to wait. */
  public Duration retryAfter() {
    return limiter.retryAfter();
  }

  @Override
  public synchronized void close() {
    if (started) {
      limiter.release();
      started = false;
    }
  }
}

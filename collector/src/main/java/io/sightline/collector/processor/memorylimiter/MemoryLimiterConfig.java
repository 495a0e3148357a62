package io.sightline.collector.processor.memorylimiter;

import io.sightline.collector.config.ConfigMap;
import java.time.Duration;

/**
 * The Collector's keys. Limits are either absolute ({@code limit_mib}) or a percentage of the JVM's maximum heap
 * ({@code limit_percentage}); the soft limit is the hard limit minus the spike allowance.
 */
record MemoryLimiterConfig(Duration checkInterval, long limitBytes, long spikeBytes, double limitPercentage,
    double spikePercentage, Duration minGcIntervalWhenSoftLimited, Duration minGcIntervalWhenHardLimited) {

  /** The Collector's default: a GC forced at the soft limit at most this often, since a full GC costs real CPU. */
  static final Duration DEFAULT_MIN_GC_INTERVAL_SOFT = Duration.ofSeconds(10);
  /** The Collector's spike default when only the limit is given: 20 % of it. */
  static final double DEFAULT_SPIKE_FRACTION = 0.2;
  private static final long MIB = 1024 * 1024;

  static MemoryLimiterConfig parse(ConfigMap m) {
    Duration checkInterval = m.duration("check_interval", Duration.ZERO);
    long limitMib = m.longValue("limit_mib", 0);
    long spikeMib = m.longValue("spike_limit_mib", -1);
    double limitPct = m.doubleValue("limit_percentage", 0);
    double spikePct = m.doubleValue("spike_limit_percentage", -1);
    Duration softGc = m.duration("min_gc_interval_when_soft_limited", DEFAULT_MIN_GC_INTERVAL_SOFT);
    Duration hardGc = m.duration("min_gc_interval_when_hard_limited", Duration.ZERO);
    m.finish();
    if (checkInterval.isZero() || checkInterval.isNegative()) {
      throw m.error("check_interval", "must be greater than zero");
    }
    if (limitMib <= 0 && limitPct <= 0) {
      throw m.error("limit_mib", "one of limit_mib or limit_percentage must be greater than zero");
    }
    if (limitMib > 0 && limitPct > 0) {
      throw m.error("limit_percentage", "set limit_mib or limit_percentage, not both");
    }
    if (limitPct > 100) {
      throw m.error("limit_percentage", "must be at most 100");
    }
    if (limitMib > 0) {
      long spike = spikeMib < 0 ? (long) (limitMib * MIB * DEFAULT_SPIKE_FRACTION) : spikeMib * MIB;
      if (spike >= limitMib * MIB) {
        throw m.error("spike_limit_mib", "must be smaller than limit_mib");
      }
      return new MemoryLimiterConfig(checkInterval, limitMib * MIB, spike, 0, 0, softGc, hardGc);
    }
    double spike = spikePct < 0 ? limitPct * DEFAULT_SPIKE_FRACTION : spikePct;
    if (spike >= limitPct) {
      throw m.error("spike_limit_percentage", "must be smaller than limit_percentage");
    }
    return new MemoryLimiterConfig(checkInterval, 0, 0, limitPct, spike, softGc, hardGc);
  }

  /** The hard limit in bytes for a heap of {@code maxHeap} bytes. */
  long hardLimit(long maxHeap) {
    return limitBytes > 0 ? limitBytes : (long) (maxHeap * limitPercentage / 100);
  }

  /** The soft limit in bytes: above it, data is refused. */
  long softLimit(long maxHeap) {
    return limitBytes > 0 ? limitBytes - spikeBytes : (long) (maxHeap * (limitPercentage - spikePercentage) / 100);
  }
}

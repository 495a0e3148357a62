package io.sightline.metricstore.db;

import io.sightline.core.wal.WalConfig;
import java.time.Duration;

/**
 * How the store keeps its data.
 *
 * @param blockRangeMs the time range of a block cut from the head; larger blocks are merged from these, 3× at a time
 * @param retentionMs blocks whose data is all older than this, counted back from the newest sample, are deleted;
 *     0 keeps everything
 * @param retentionBytes when the blocks and the WAL take more than this, the oldest blocks are deleted; 0 is no limit
 * @param maintenanceInterval how often the background upkeep looks for work
 * @param maxSeries series the head may hold; a new series beyond it is refused
 * @param maxAheadMs samples more than this ahead of the clock when their batch began are refused; 0 refuses none
 */
public record TsdbOptions(WalConfig walConfig, long oooWindowMs, int maxExemplars, long blockRangeMs,
    long retentionMs, long retentionBytes, Duration maintenanceInterval, int maxSeries, long maxAheadMs) {
  /** Prometheus' {@code maxAheadTime}: a sender's clock may run a little ahead, a sample from next year is a bug. */
  public static final long DEFAULT_MAX_AHEAD_MS = 10 * 60_000L;

  public TsdbOptions(WalConfig walConfig, long oooWindowMs, int maxExemplars, long blockRangeMs, long retentionMs,
      long retentionBytes, Duration maintenanceInterval, int maxSeries) {
    this(walConfig, oooWindowMs, maxExemplars, blockRangeMs, retentionMs, retentionBytes, maintenanceInterval,
        maxSeries, DEFAULT_MAX_AHEAD_MS);
  }

  /**
   * Two million: at the 0.5 to 1 KiB a head series costs (measured: 602 bytes with 120 samples), 1 to 2 GiB of heap,
   * which the default heap of a machine with 8 GiB or more holds. Raise it with the heap.
   */
  public static final int DEFAULT_MAX_SERIES = 2_000_000;

  public TsdbOptions(WalConfig walConfig, long oooWindowMs, int maxExemplars, long blockRangeMs, long retentionMs,
      long retentionBytes, Duration maintenanceInterval) {
    this(walConfig, oooWindowMs, maxExemplars, blockRangeMs, retentionMs, retentionBytes, maintenanceInterval,
        DEFAULT_MAX_SERIES);
  }

  /** Prometheus' defaults: 2 h blocks, 15 days. */
  public static final long DEFAULT_BLOCK_RANGE_MS = 2 * 3600_000L;
  public static final long DEFAULT_RETENTION_MS = 15 * 24 * 3600_000L;
  /** Prometheus caps merged blocks at 31 days (and at a tenth of the retention). */
  static final long MAX_BLOCK_RANGE_MS = 31 * 24 * 3600_000L;

  public TsdbOptions {
    if (blockRangeMs <= 0 || retentionMs < 0 || retentionBytes < 0) {
      throw new IllegalArgumentException("block range must be positive and retention not negative");
    }
    if (maxSeries <= 0) {
      throw new IllegalArgumentException("max series must be positive");
    }
    if (maxAheadMs < 0) {
      throw new IllegalArgumentException("max time ahead must not be negative");
    }
    if (maintenanceInterval.isNegative() || maintenanceInterval.isZero()) {
      throw new IllegalArgumentException("maintenance interval must be positive");
    }
  }

  public static TsdbOptions defaults() {
    return new TsdbOptions(WalConfig.defaults(), 0, 100_000, DEFAULT_BLOCK_RANGE_MS, DEFAULT_RETENTION_MS, 0,
        Duration.ofMinutes(1));
  }

  public TsdbOptions withRetention(long ms, long bytes) {
    return new TsdbOptions(walConfig, oooWindowMs, maxExemplars, blockRangeMs, ms, bytes, maintenanceInterval,
        maxSeries, maxAheadMs);
  }

  public TsdbOptions withMaxSeries(int n) {
    return new TsdbOptions(walConfig, oooWindowMs, maxExemplars, blockRangeMs, retentionMs, retentionBytes,
        maintenanceInterval, n, maxAheadMs);
  }

  public TsdbOptions withBlockRange(long ms) {
    return new TsdbOptions(walConfig, oooWindowMs, maxExemplars, ms, retentionMs, retentionBytes, maintenanceInterval,
        maxSeries, maxAheadMs);
  }

  public TsdbOptions withMaxAhead(long ms) {
    return new TsdbOptions(walConfig, oooWindowMs, maxExemplars, blockRangeMs, retentionMs, retentionBytes,
        maintenanceInterval, maxSeries, ms);
  }

  /** The largest block a merge may make: 31 days, or a tenth of the retention if that is less. */
  long maxBlockRangeMs() {
    long cap = retentionMs == 0 ? MAX_BLOCK_RANGE_MS : Math.min(MAX_BLOCK_RANGE_MS, retentionMs / 10);
    return Math.max(cap, blockRangeMs);
  }
}

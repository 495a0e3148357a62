package io.sightline.core.wal;

import java.time.Duration;

/**
 * How a WAL writes.
 *
 * @param segmentSize largest segment file; whole segments are the unit of deletion once their records are in blocks
 * @param sync when appended bytes are forced to disk (they reach the file, and so survive a killed process, always)
 * @param syncInterval with {@link Sync#INTERVAL}: the most a power cut can lose
 */
public record WalConfig(long segmentSize, Sync sync, Duration syncInterval) {
  /** Prometheus' size: big enough that segment turnover is rare, small enough that truncation frees space in steps. */
  public static final long DEFAULT_SEGMENT_SIZE = 128L * 1024 * 1024;
  /** Forcing every append would cap ingest at the disk's flush rate; one second bounds what a power cut can take. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

  /** When appended data is forced to stable storage. */
  public enum Sync { ALWAYS, INTERVAL, NEVER }

  public WalConfig {
    if (segmentSize < 2L * Segment.PAGE_SIZE) {
      throw new IllegalArgumentException("segment size must be at least two pages (" + 2 * Segment.PAGE_SIZE + " bytes)");
    }
    if (sync == Sync.INTERVAL && (syncInterval == null || syncInterval.isNegative() || syncInterval.isZero())) {
      throw new IllegalArgumentException("sync interval must be positive");
    }
  }

  public static WalConfig defaults() {
    return new WalConfig(DEFAULT_SEGMENT_SIZE, Sync.INTERVAL, DEFAULT_SYNC_INTERVAL);
  }
}

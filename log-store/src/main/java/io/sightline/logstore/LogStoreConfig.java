package io.sightline.logstore;

import io.sightline.core.wal.WalConfig;
import java.time.Duration;

/**
 * How the log store keeps its data. Build with {@link #builder()}; every option has a default below.
 *
 * @param wal the WAL's segment size and fsync policy
 * @param chunkTargetBytes a stream's open chunk is cut once its lines (and metadata) hold this many bytes, uncompressed
 * @param maxChunkAge a chunk is cut when its first line is this much older than its last
 * @param chunkIdlePeriod a stream's open chunk is cut when the stream received nothing for this long
 * @param outOfOrderWindow a stream accepts an entry at most this much older than its newest entry
 * @param maxStreams appends that would create a stream beyond this many active ones are refused ({@link
 *     StreamLimitException}); zero is no limit
 * @param retention chunks whose lines are all older than this are deleted; zero keeps everything
 * @param retentionBytes the oldest chunks are deleted while the store takes more than this on disk; zero is no limit
 * @param upkeepInterval how often the background thread cuts chunks, writes them out and applies retention
 * @param maxHeadBytes appends are refused ({@link HeadFullException}, which senders retry) while the lines in
 *     memory hold this many bytes; zero is no limit
 */
public record LogStoreConfig(WalConfig wal, long chunkTargetBytes, Duration maxChunkAge, Duration chunkIdlePeriod,
    Duration outOfOrderWindow, int maxStreams, Duration retention, long retentionBytes, Duration upkeepInterval,
    long maxHeadBytes) {

  /**
   * Loki's {@code chunk_target_size} is 1.5 MB compressed, about 6 MB of raw log; chunks of 4 MiB raw keep a needle
   * query's decompression small when the token filter cannot skip, and the per-chunk index small against the data.
   */
  public static final long DEFAULT_CHUNK_TARGET_BYTES = 4L * 1024 * 1024;
  /** Loki's {@code max_chunk_age}: 2 h. */
  public static final Duration DEFAULT_MAX_CHUNK_AGE = Duration.ofHours(2);
  /** Loki's {@code chunk_idle_period}: 30 min. */
  public static final Duration DEFAULT_CHUNK_IDLE_PERIOD = Duration.ofMinutes(30);
  /** Loki accepts unordered writes within half of {@code max_chunk_age}: 1 h. */
  public static final Duration DEFAULT_OUT_OF_ORDER_WINDOW = Duration.ofHours(1);
  /** Loki's {@code max_global_streams_per_user}: 5000. */
  public static final int DEFAULT_MAX_STREAMS = 5000;
  /** Loki's compactor retention as usually configured: 744 h (31 days). */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(31);
  /** Idle and old chunks are cut within a second; a round that finds nothing costs a scan of the streams. */
  public static final Duration DEFAULT_UPKEEP_INTERVAL = Duration.ofSeconds(1);
  /**
   * About 60 s of ingestion at 4 MB/s; bounded so that the head stays inside the memory limiter's share of the heap.
   * */
  public static final long DEFAULT_MAX_HEAD_BYTES = 256L * 1024 * 1024;

  public LogStoreConfig {
    if (wal == null) {
      throw new IllegalArgumentException("a WAL config is required");
    }
    requirePositive(maxChunkAge, "max chunk age");
    requirePositive(chunkIdlePeriod, "chunk idle period");
    requirePositive(outOfOrderWindow, "out-of-order window");
    requirePositive(upkeepInterval, "upkeep interval");
    if (chunkTargetBytes <= 0) {
      throw new IllegalArgumentException("chunk target size must be positive");
    }
    if (retention == null || retention.isNegative() || retentionBytes < 0 || maxStreams < 0 || maxHeadBytes < 0) {
      throw new IllegalArgumentException("retention and limits must not be negative");
    }
  }

  public static LogStoreConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.wal = wal;
    b.chunkTargetBytes = chunkTargetBytes;
    b.maxChunkAge = maxChunkAge;
    b.chunkIdlePeriod = chunkIdlePeriod;
    b.outOfOrderWindow = outOfOrderWindow;
    b.maxStreams = maxStreams;
    b.retention = retention;
    b.retentionBytes = retentionBytes;
    b.upkeepInterval = upkeepInterval;
    b.maxHeadBytes = maxHeadBytes;
    return b;
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }

  /** Options with their defaults; each value is checked when {@link #build()} runs. */
  public static final class Builder {
    private WalConfig wal = WalConfig.defaults();
    private long chunkTargetBytes = DEFAULT_CHUNK_TARGET_BYTES;
    private Duration maxChunkAge = DEFAULT_MAX_CHUNK_AGE;
    private Duration chunkIdlePeriod = DEFAULT_CHUNK_IDLE_PERIOD;
    private Duration outOfOrderWindow = DEFAULT_OUT_OF_ORDER_WINDOW;
    private int maxStreams = DEFAULT_MAX_STREAMS;
    private Duration retention = DEFAULT_RETENTION;
    private long retentionBytes = 0;
    private Duration upkeepInterval = DEFAULT_UPKEEP_INTERVAL;
    private long maxHeadBytes = DEFAULT_MAX_HEAD_BYTES;

    private Builder() {}

    public Builder wal(WalConfig v) {
      wal = v;
      return this;
    }

    public Builder chunkTargetBytes(long v) {
      chunkTargetBytes = v;
      return this;
    }

    public Builder maxChunkAge(Duration v) {
      maxChunkAge = v;
      return this;
    }

    public Builder chunkIdlePeriod(Duration v) {
      chunkIdlePeriod = v;
      return this;
    }

    public Builder outOfOrderWindow(Duration v) {
      outOfOrderWindow = v;
      return this;
    }

    public Builder maxStreams(int v) {
      maxStreams = v;
      return this;
    }

    public Builder retention(Duration v) {
      retention = v;
      return this;
    }

    public Builder retentionBytes(long v) {
      retentionBytes = v;
      return this;
    }

    public Builder upkeepInterval(Duration v) {
      upkeepInterval = v;
      return this;
    }

    public Builder maxHeadBytes(long v) {
      maxHeadBytes = v;
      return this;
    }

    public LogStoreConfig build() {
      return new LogStoreConfig(wal, chunkTargetBytes, maxChunkAge, chunkIdlePeriod, outOfOrderWindow, maxStreams,
          retention, retentionBytes, upkeepInterval, maxHeadBytes);
    }
  }
}

package io.sightline.tracestore;

import io.sightline.core.wal.WalConfig;
import java.time.Duration;

/**
 * How the trace store keeps its data. Build with {@link #builder()}; every option has a default below.
 *
 * @param wal the WAL's segment size and fsync policy
 * @param maxTraceIdle a trace that received no span for this long is complete and waits for the next block
 * @param maxTraceLive a trace that keeps receiving spans is still moved to a block after this long, so that the head
 *     stays bounded; later spans of it start a new part, and reads join the parts
 * @param maxBlockDuration complete traces wait in memory at most this long before they are written to a block
 * @param maxBlockBytes a block is cut as soon as the complete traces hold this many span bytes (OTLP encoding)
 * @param compactedBlockBytes compaction merges adjacent blocks while the result stays below this size on disk
 * @param compactionWindow only blocks whose first spans start in the same window of this length are merged
 * @param minBlocksToCompact compaction waits until at least this many blocks can be merged at once
 * @param retention blocks whose spans all ended longer ago than this are deleted; zero keeps everything
 * @param retentionBytes the oldest blocks are deleted while blocks and WAL take more than this; zero is no limit
 * @param maxBytesPerTrace an append that would grow a trace in the head past this is refused
 *     ({@link TraceTooLargeException}); zero is no limit
 * @param upkeepInterval how often the background thread looks for idle traces, blocks to cut, merge or delete
 * @param maxLiveBytes appends are refused ({@link HeadFullException}, which senders retry) while the spans in memory
 *     hold this many bytes; zero is no limit
 */
public record TraceStoreConfig(WalConfig wal, Duration maxTraceIdle, Duration maxTraceLive, Duration maxBlockDuration,
    long maxBlockBytes, long compactedBlockBytes, Duration compactionWindow, int minBlocksToCompact, Duration retention,
    long retentionBytes, long maxBytesPerTrace, Duration upkeepInterval, long maxLiveBytes) {

  /**
   * Tempo's {@code max_live_traces_bytes} is 250 MB per tenant; one store here holds what several ingesters would:
   * at 80,000 spans/s the head holds about 9 s of spans (5 s idle, the wait for a cut, the cut itself), 250 MB, so
   * the limit is 400 MB, some 700 MiB of heap (0.6 KiB a span for 0.35 KiB of OTLP), inside the memory limiter's share
   * of the 2 GiB the launcher gives by default.
   */
  public static final long DEFAULT_MAX_LIVE_BYTES = 400_000_000L;

  /**
   * Tempo's {@code max_trace_idle} (its live store's default): most services finish a request's spans within seconds
   * of each other, and the head holds this long of traffic, about 0.6 KiB of heap a span.
   */
  public static final Duration DEFAULT_MAX_TRACE_IDLE = Duration.ofSeconds(5);
  /** Tempo's {@code max_trace_live}: bounds the head's memory for a trace that never goes quiet (a stream, a job). */
  public static final Duration DEFAULT_MAX_TRACE_LIVE = Duration.ofSeconds(30);
  /**
   * Tempo's {@code max_block_duration}: a quiet store still moves its spans out of memory and trims its WAL within
   * half a minute; compaction then joins the small blocks this makes.
   */
  public static final Duration DEFAULT_MAX_BLOCK_DURATION = Duration.ofSeconds(30);
  /**
   * Tempo's {@code max_block_bytes}: 50 MiB of OTLP bytes is about 150,000 spans, a block cut in about a second, and
   * at 100,000 spans/s a cut every second and a half.
   */
  public static final long DEFAULT_MAX_BLOCK_BYTES = 50L * 1024 * 1024;
  /** Big enough that trace-by-id touches a few blocks per hour of data, small enough that a merge is a few seconds. */
  public static final long DEFAULT_COMPACTED_BLOCK_BYTES = 512L * 1024 * 1024;
  /** Tempo's compaction window: blocks of one hour are merged, so that a search over a time range skips the rest. */
  public static final Duration DEFAULT_COMPACTION_WINDOW = Duration.ofHours(1);
  /** Merging two blocks rewrites both for little gain; four at a time rewrites each span about log4(n) times. */
  public static final int DEFAULT_MIN_BLOCKS_TO_COMPACT = 4;
  /** Tempo's {@code block_retention}: 14 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(14);
  /** Tempo's {@code max_bytes_per_trace}: 5 MB, beyond which a trace is usually a bug in its instrumentation. */
  public static final long DEFAULT_MAX_BYTES_PER_TRACE = 5_000_000L;
  /** Idle traces are found within a second of going idle; a round that finds nothing costs a scan of the head. */
  public static final Duration DEFAULT_UPKEEP_INTERVAL = Duration.ofSeconds(1);

  public TraceStoreConfig {
    requirePositive(maxTraceIdle, "max trace idle");
    requirePositive(maxTraceLive, "max trace live");
    requirePositive(maxBlockDuration, "max block duration");
    requirePositive(compactionWindow, "compaction window");
    requirePositive(upkeepInterval, "upkeep interval");
    if (wal == null) {
      throw new IllegalArgumentException("a WAL config is required");
    }
    if (maxBlockBytes <= 0 || compactedBlockBytes <= 0) {
      throw new IllegalArgumentException("block sizes must be positive");
    }
    if (minBlocksToCompact < 2) {
      throw new IllegalArgumentException("compaction needs at least two blocks");
    }
    if (retention == null || retention.isNegative() || retentionBytes < 0 || maxBytesPerTrace < 0
        || maxLiveBytes < 0) {
      throw new IllegalArgumentException("retention and limits must not be negative");
    }
  }

  public static TraceStoreConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.wal = wal;
    b.maxTraceIdle = maxTraceIdle;
    b.maxTraceLive = maxTraceLive;
    b.maxBlockDuration = maxBlockDuration;
    b.maxBlockBytes = maxBlockBytes;
    b.compactedBlockBytes = compactedBlockBytes;
    b.compactionWindow = compactionWindow;
    b.minBlocksToCompact = minBlocksToCompact;
    b.retention = retention;
    b.retentionBytes = retentionBytes;
    b.maxBytesPerTrace = maxBytesPerTrace;
    b.upkeepInterval = upkeepInterval;
    b.maxLiveBytes = maxLiveBytes;
    return b;
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }

  /** Options with their defaults; each setter is checked when {@link #build()} runs. */
  public static final class Builder {
    private WalConfig wal = WalConfig.defaults();
    private Duration maxTraceIdle = DEFAULT_MAX_TRACE_IDLE;
    private Duration maxTraceLive = DEFAULT_MAX_TRACE_LIVE;
    private Duration maxBlockDuration = DEFAULT_MAX_BLOCK_DURATION;
    private long maxBlockBytes = DEFAULT_MAX_BLOCK_BYTES;
    private long compactedBlockBytes = DEFAULT_COMPACTED_BLOCK_BYTES;
    private Duration compactionWindow = DEFAULT_COMPACTION_WINDOW;
    private int minBlocksToCompact = DEFAULT_MIN_BLOCKS_TO_COMPACT;
    private Duration retention = DEFAULT_RETENTION;
    private long retentionBytes;
    private long maxBytesPerTrace = DEFAULT_MAX_BYTES_PER_TRACE;
    private Duration upkeepInterval = DEFAULT_UPKEEP_INTERVAL;
    private long maxLiveBytes = DEFAULT_MAX_LIVE_BYTES;

    private Builder() {}

    public Builder wal(WalConfig v) {
      wal = v;
      return this;
    }

    public Builder maxTraceIdle(Duration v) {
      maxTraceIdle = v;
      return this;
    }

    public Builder maxTraceLive(Duration v) {
      maxTraceLive = v;
      return this;
    }

    public Builder maxBlockDuration(Duration v) {
      maxBlockDuration = v;
      return this;
    }

    public Builder maxBlockBytes(long v) {
      maxBlockBytes = v;
      return this;
    }

    public Builder compactedBlockBytes(long v) {
      compactedBlockBytes = v;
      return this;
    }

    public Builder compactionWindow(Duration v) {
      compactionWindow = v;
      return this;
    }

    public Builder minBlocksToCompact(int v) {
      minBlocksToCompact = v;
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

    public Builder maxBytesPerTrace(long v) {
      maxBytesPerTrace = v;
      return this;
    }

    public Builder maxLiveBytes(long v) {
      maxLiveBytes = v;
      return this;
    }

    public Builder upkeepInterval(Duration v) {
      upkeepInterval = v;
      return this;
    }

    public TraceStoreConfig build() {
      return new TraceStoreConfig(wal, maxTraceIdle, maxTraceLive, maxBlockDuration, maxBlockBytes,
          compactedBlockBytes, compactionWindow, minBlocksToCompact, retention, retentionBytes, maxBytesPerTrace,
          upkeepInterval, maxLiveBytes);
    }
  }
}

package io.sightline.metricstore.head;

import io.sightline.core.model.Labels;
import io.sightline.core.wal.Wal;
import io.sightline.core.wal.WalConfig;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.StoreStats;
import io.sightline.metricstore.wal.WalRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head block: all series and their recent samples in memory, made durable by a write-ahead log under
 * {@code dir/wal}.
 *
 * <pre>
 *   byLabels  {job="api",__name__="up"} ─▶ MemSeries ref 0 ─┐
 *   byRef     [0] [1] [2] ...          ─▶ MemSeries       ─┘   chunks (see MemSeries)
 *   postings  "job" ─▶ "api" ─▶ {0, 2}     "__name__" ─▶ "up" ─▶ {0, 1, 2}
 *             ""    ─▶ ""    ─▶ {0, 1, 2}  (every series, for matchers that match the empty value)
 * </pre>
 */
public final class Head implements MetricStore {
  private static final Logger log = LoggerFactory.getLogger(Head.class);
  /** The key under which every series is posted. */
  static final String ALL = "";

  private final Wal wal;
  private final long oooWindowMs;
  private final ExemplarRing exemplars;
  /** Latest metadata per metric family; few entries (one per family), so a concurrent map is enough. */
  private final ConcurrentHashMap<String, io.sightline.metricstore.MetricMetadata> metadata = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> symbols = new ConcurrentHashMap<>();
  private final HeadPostings postings = new HeadPostings();
  private final ReadWriteLock postingsLock = new ReentrantReadWriteLock();
  private final Object refLock = new Object();
  private volatile MemSeries[] byRef = new MemSeries[1024];
  private int nextRef;
  private final Path walDir;
  /** Chunks are cut at multiples of this, the block range, so that a chunk is never split between two blocks. */
  private final long chunkRangeMs;
  /** Samples older than this are refused: their time range is in a block already. */
  private volatile long minValidTime;
  /**
   * Queries read the head from this time on; it trails {@link #minValidTime} while a block is written, so that the
   * range is in the head until the block can answer for it.
   */
  private volatile long queryMinTime;
  /**
   * Commits share it; raising {@link #minValidTime} takes it exclusively, so that once raised, no commit that
   * checked against the old value is still writing.
   */
  private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
  /** The time range of the head's samples; a lower bound of the oldest once truncated. */
  private final java.util.concurrent.atomic.AtomicLong minTime = new java.util.concurrent.atomic.AtomicLong(
      Long.MAX_VALUE);
  private final java.util.concurrent.atomic.AtomicLong maxTime = new java.util.concurrent.atomic.AtomicLong(
      Long.MIN_VALUE);

  private Head(Path walDir, Wal wal, Options options) {
    this.walDir = walDir;
    this.wal = wal;
    this.oooWindowMs = options.oooWindowMs();
    this.exemplars = new ExemplarRing(options.maxExemplars());
    this.chunkRangeMs = options.chunkRangeMs();
    this.minValidTime = options.minValidTime();
    this.queryMinTime = options.minValidTime();
    this.maxSeries = options.maxSeries();
    this.maxAheadMs = options.maxAheadMs();
  }

  private final long maxAheadMs;

  /** The latest time an appender started now may accept. */
  long maxValidTime() {
    return maxAheadMs == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + maxAheadMs;
  }

  private final int maxSeries;

  /**
   * How a head is opened.
   *
   * @param oooWindowMs how far behind a series' newest sample a sample may still be accepted; 0 refuses any
   * @param maxExemplars exemplars kept in memory across all series; the oldest go first
   * @param chunkRangeMs the block range: chunks are cut at its multiples
   * @param minValidTime samples before it are in blocks: replay skips them and appends refuse them
   * @param maxSeries series the head may hold; a new one beyond it is refused (replay is not limited)
   * @param maxAheadMs appends more than this ahead of the clock at the appender's start are refused; 0 refuses none
   *     (replay is not limited)
   */
  public record Options(WalConfig walConfig, long oooWindowMs, int maxExemplars, long chunkRangeMs,
      long minValidTime, int maxSeries, long maxAheadMs) {
    public static final long DEFAULT_CHUNK_RANGE_MS = 2 * 3600_000L;

    public Options(WalConfig walConfig, long oooWindowMs, int maxExemplars, long chunkRangeMs, long minValidTime) {
      this(walConfig, oooWindowMs, maxExemplars, chunkRangeMs, minValidTime, Integer.MAX_VALUE, 0);
    }

    public Options {
      if (chunkRangeMs <= 0) {
        throw new IllegalArgumentException("chunk range must be positive");
      }
    }
  }

  /** Opens the head with no out-of-order window. */
  public static Head open(Path dir, WalConfig walConfig) throws IOException {
    return open(dir, walConfig, 0);
  }

  /**
   * Opens the head in {@code dir}: replays the WAL (repairing a torn tail), then accepts appends.
   *
   * @param oooWindowMs how far behind a series' newest sample a sample may still be accepted; 0 refuses any
   */
  public static Head open(Path dir, WalConfig walConfig, long oooWindowMs) throws IOException {
    return open(dir, walConfig, oooWindowMs, ExemplarRing.DEFAULT_CAPACITY);
  }

  /** @param maxExemplars exemplars kept in memory across all series; the oldest go first */
  public static Head open(Path dir, WalConfig walConfig, long oooWindowMs, int maxExemplars) throws IOException {
    return open(dir, new Options(walConfig, oooWindowMs, maxExemplars, Options.DEFAULT_CHUNK_RANGE_MS,
        Long.MIN_VALUE));
  }

  /** Opens the head in {@code dir}: replays the newest checkpoint and the WAL after it, then accepts appends. */
  public static Head open(Path dir, Options options) throws IOException {
    Path walDir = dir.resolve("wal");
    Head[] head = new Head[1];
    long[] counts = new long[3];
    long start = System.nanoTime();
    long oooWindowMs = options.oooWindowMs();
    // Replay before the writer opens a new segment, but after it has repaired: open() does both in that order.
    Wal wal = Wal.open(walDir, options.walConfig());
    head[0] = new Head(walDir, wal, options);
    io.sightline.core.wal.Checkpoint checkpoint = io.sightline.core.wal.Checkpoint.latest(walDir);
    io.sightline.core.wal.WalReader.RecordConsumer replay = (segment, record) -> WalRecords.decode(record,
        new WalRecords.Handler() {
      @Override
      public void series(int ref, Labels labels) {
        head[0].restoreSeries(ref, labels);
        counts[0]++;
      }

      @Override
      public void sample(int ref, long t, double v) {
        MemSeries s = head[0].series(ref);
        if (s != null && t >= head[0].minValidTime && s.append(t, v, oooWindowMs, head[0].chunkRangeMs)) {
          head[0].observeTimes(t, t);
          counts[1]++;
        } else {
          counts[2]++;
        }
      }

      @Override
      public void histogram(int ref, long t, io.sightline.core.model.Histogram h) {
        MemSeries s = head[0].series(ref);
        if (s != null && t >= head[0].minValidTime && s.appendHistogram(null, t, h, head[0].chunkRangeMs)) {
          head[0].observeTimes(t, t);
          counts[1]++;
        } else {
          counts[2]++;
        }
      }

      @Override
      public void metadata(String name, String type, String help, String unit) {
        head[0].metadata.put(name, new io.sightline.metricstore.MetricMetadata(type, help, unit));
      }

      @Override
      public void exemplar(int ref, Labels labels, long t, double v) {
        MemSeries s = head[0].series(ref);
        if (s != null && s.advanceExemplar(t)) {
          head[0].exemplars.add(ref, labels, t, v);
        }
      }

      @Override
      public void tombstone(int ref, long minT, long maxT) {
        MemSeries s = head[0].series(ref);
        if (s != null) {
          s.deleteRange(minT, maxT, head[0].chunkRangeMs);
        }
      }
    });
    if (checkpoint != null) {
      checkpoint.replay(replay);
    }
    Wal.replay(walDir, checkpoint == null ? 0 : checkpoint.index() + 1, replay);
    log.atInfo().addKeyValue("series", counts[0]).addKeyValue("samples", counts[1])
        .addKeyValue("samples_dropped", counts[2]).addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
        .log("metric head replayed its WAL");
    return head[0];
  }

  /** Widens the head's time range to include {@code [min, max]}. */
  void observeTimes(long min, long max) {
    if (min < minTime.get()) {
      minTime.accumulateAndGet(min, Math::min);
    }
    if (max > maxTime.get()) {
      maxTime.accumulateAndGet(max, Math::max);
    }
  }

  /** The oldest sample's time (a lower bound once truncated), or Long.MAX_VALUE when the head is empty. */
  public long minTime() {
    return Math.max(minTime.get(), minValidTime);
  }

  /** The newest sample's time, or Long.MIN_VALUE when the head is empty. */
  public long maxTime() {
    return maxTime.get();
  }

  public long minValidTime() {
    return minValidTime;
  }

  long queryMinTime() {
    return queryMinTime;
  }

  long chunkRangeMs() {
    return chunkRangeMs;
  }

  ReentrantReadWriteLock commitLock() {
    return commitLock;
  }

  /**
   * From now on, samples before {@code t} are refused; returns once no commit that checked against the old bound is
   * still writing, so that a snapshot of {@code [.., t)} taken after this misses nothing acknowledged.
   */
  public void raiseMinValidTime(long t) {
    commitLock.writeLock().lock();
    try {
      minValidTime = Math.max(minValidTime, t);
    } finally {
      commitLock.writeLock().unlock();
    }
  }

  /**
   * The series with samples in {@code [start, end)} and their chunks, in label order, with the strings of their
   * labels: what a block of that range is written from. Call after {@link #raiseMinValidTime} to {@code end}.
   */
  public HeadBlockSource blockSource(long start, long end) {
    List<MemSeries> inRange = new java.util.ArrayList<>();
    for (MemSeries s : byLabels.values()) {
      if (s.minTime() < end && s.maxTime() >= start) {
        inRange.add(s);
      }
    }
    inRange.sort((a, b) -> a.labels.compareTo(b.labels));
    java.util.TreeSet<String> symbols = new java.util.TreeSet<>();
    for (MemSeries s : inRange) {
      s.labels.forEach((name, value) -> {
        symbols.add(name);
        symbols.add(value);
      });
    }
    java.util.Iterator<MemSeries> it = inRange.iterator();
    return new HeadBlockSource(symbols, new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public io.sightline.metricstore.block.BlockWriter.SeriesChunks next() {
        MemSeries s = it.next();
        return new io.sightline.metricstore.block.BlockWriter.SeriesChunks(s.labels, s.chunksIn(start, end));
      }
    });
  }

  /** What {@link #blockSource} hands to the block writer. */
  public record HeadBlockSource(java.util.SortedSet<String> symbols,
      java.util.Iterator<io.sightline.metricstore.block.BlockWriter.SeriesChunks> series) {}

  /**
   * Drops the data before {@code end}, now in a block, and the series left with none; then checkpoints the WAL so
   * that its older segments can go. Returns the number of series removed.
   */
  public int truncateBefore(long end) throws IOException {
    raiseMinValidTime(end);
    queryMinTime = Math.max(queryMinTime, end);
    List<MemSeries> removed = new java.util.ArrayList<>();
    for (MemSeries s : byLabels.values()) {
      if (s.truncateBefore(end)) {
        removed.add(s);
      }
    }
    synchronized (refLock) {
      MemSeries[] refs = byRef;
      for (MemSeries s : removed) {
        byLabels.remove(s.labels, s);
        refs[s.ref] = null;
      }
      postingsLock.writeLock().lock();
      try {
        for (MemSeries s : removed) {
          unpost(ALL, ALL, s.ref);
          s.labels.forEach((name, value) -> unpost(name, value, s.ref));
        }
      } finally {
        postingsLock.writeLock().unlock();
      }
    }
    minTime.accumulateAndGet(end, Math::max);
    checkpoint(end);
    return removed.size();
  }

  private void unpost(String name, String value, int ref) {
    postings.remove(name, value, ref);
  }

  /**
   * Rewrites the closed WAL segments (and the previous checkpoint) into a checkpoint of what the head still needs:
   * records of live series, samples and exemplars from {@code end} on, and metadata; then deletes those segments.
   */
  private void checkpoint(long end) throws IOException {
    int first = wal.cut();
    io.sightline.core.wal.Checkpoint previous = io.sightline.core.wal.Checkpoint.latest(walDir);
    long start = System.nanoTime();
    long[] kept = new long[2];
    io.sightline.core.wal.Checkpoint.create(walDir, first - 1, out -> {
      CheckpointFilter filter = new CheckpointFilter(out, this::series, end);
      if (previous != null) {
        previous.replay(filter);
      }
      Wal.replay(walDir, previous == null ? 0 : previous.index() + 1, first, filter);
      filter.flush();
      kept[0] = filter.series();
      kept[1] = filter.samples();
    });
    wal.deleteSegmentsBefore(first);
    log.atInfo().addKeyValue("through_segment", first - 1).addKeyValue("series", kept[0])
        .addKeyValue("samples", kept[1]).addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
        .log("metric WAL checkpointed");
  }

  /**
   * Deletes the samples in {@code [minT, maxT]} of the series matching {@code matchers}, logged in the WAL first so
   * that a replay deletes them again. Returns how many series were touched.
   */
  public int deleteSeriesInHead(List<io.sightline.core.model.LabelMatcher> matchers, long minT, long maxT)
      throws IOException {
    RoaringBitmap refs = readPostings(p -> io.sightline.metricstore.postings.PostingsIndex.select(p, matchers));
    int n = refs.getCardinality();
    if (n == 0) {
      return 0;
    }
    int[] ids = refs.toArray();
    long[] mins = new long[n];
    long[] maxs = new long[n];
    java.util.Arrays.fill(mins, minT);
    java.util.Arrays.fill(maxs, maxT);
    commitLock.readLock().lock();
    try {
      wal.append(WalRecords.tombstones(ids, mins, maxs, n));
      for (int ref : ids) {
        MemSeries s = series(ref);
        if (s != null) {
          s.deleteRange(minT, maxT, chunkRangeMs);
        }
      }
    } finally {
      commitLock.readLock().unlock();
    }
    return n;
  }

  @Override
  public void deleteSeries(List<io.sightline.core.model.LabelMatcher> matchers, long minT, long maxT)
      throws IOException {
    deleteSeriesInHead(matchers, minT, maxT);
  }

  @Override
  public Appender appender() {
    return new HeadAppender(this);
  }

  @Override
  public Querier querier() {
    return new HeadQuerier(this);
  }

  @Override
  public StoreStats stats(int limit) {
    long chunks = 0;
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    for (MemSeries s : byLabels.values()) {
      chunks += s.chunkCount();
      minT = Math.min(minT, Math.max(s.minTime(), minValidTime));
      maxT = Math.max(maxT, s.maxTime());
    }
    long finalChunks = chunks;
    long finalMin = minT == Long.MAX_VALUE ? 0 : minT;
    long finalMax = maxT == Long.MIN_VALUE ? 0 : maxT;
    return readPostings(p -> {
      java.util.List<StoreStats.Count> byMetric = new java.util.ArrayList<>();
      java.util.List<StoreStats.Count> valueCounts = new java.util.ArrayList<>();
      java.util.List<StoreStats.Count> memory = new java.util.ArrayList<>();
      java.util.List<StoreStats.Count> pairs = new java.util.ArrayList<>();
      long numPairs = 0;
      for (String name : p.names()) {
        if (name.equals(ALL)) {
          continue;
        }
        long bytes = 0;
        for (var value : p.valuesOf(name).entrySet()) {
          long series = HeadPostings.cardinality(value.getValue());
          bytes += value.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
          pairs.add(new StoreStats.Count(name + "=" + value.getKey(), series));
          if (name.equals(Labels.METRIC_NAME)) {
            byMetric.add(new StoreStats.Count(value.getKey(), series));
          }
        }
        int values = p.valuesOf(name).size();
        numPairs += values;
        valueCounts.add(new StoreStats.Count(name, values));
        memory.add(new StoreStats.Count(name, bytes));
      }
      return new StoreStats(byLabels.size(), numPairs, finalChunks, finalMin, finalMax, top(byMetric, limit),
          top(valueCounts, limit), top(memory, limit), top(pairs, limit));
    });
  }

  /** The {@code limit} largest, largest first; ties by name, so that the answer is stable. */
  private static java.util.List<StoreStats.Count> top(java.util.List<StoreStats.Count> counts, int limit) {
    return counts.stream().sorted(java.util.Comparator.comparingLong(StoreStats.Count::value).reversed()
        .thenComparing(StoreStats.Count::name)).limit(limit).toList();
  }

  public int numSeries() {
    return byLabels.size();
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }

  Wal wal() {
    return wal;
  }

  long oooWindowMs() {
    return oooWindowMs;
  }

  ExemplarRing exemplarRing() {
    return exemplars;
  }

  java.util.Map<String, io.sightline.metricstore.MetricMetadata> metadataMap() {
    return metadata;
  }

  MemSeries series(int ref) {
    MemSeries[] refs = byRef;
    return ref >= 0 && ref < refs.length ? refs[ref] : null;
  }

  MemSeries get(Labels labels) {
    return byLabels.get(labels);
  }

  /** The series for {@code labels}, created (and indexed) if new; {@code created[0]} tells which. */
  MemSeries getOrCreate(Labels labels, boolean[] created) {
    MemSeries s = byLabels.get(labels);
    if (s != null) {
      return s;
    }
    synchronized (refLock) {
      s = byLabels.get(labels);
      if (s != null) {
        return s;
      }
      if (byLabels.size() >= maxSeries) {
        throw new io.sightline.metricstore.SeriesLimitException(labels, maxSeries);
      }
      s = new MemSeries(nextRef++, intern(labels));
      register(s);
      created[0] = true;
      return s;
    }
  }

  private void restoreSeries(int ref, Labels labels) {
    synchronized (refLock) {
      MemSeries existing = series(ref);
      if (existing != null) {
        return; // a series record can be written twice by racing commits; the first one wins
      }
      MemSeries s = new MemSeries(ref, intern(labels));
      s.markLogged();
      register(s);
      nextRef = Math.max(nextRef, ref + 1);
    }
  }

  /** Must hold refLock. */
  private void register(MemSeries s) {
    MemSeries[] refs = byRef;
    if (s.ref >= refs.length) {
      refs = Arrays.copyOf(refs, Math.max(refs.length * 2, s.ref + 1));
    }
    refs[s.ref] = s;
    byRef = refs;
    byLabels.put(s.labels, s);
    postingsLock.writeLock().lock();
    try {
      post(ALL, ALL, s.ref);
      s.labels.forEach((name, value) -> post(name, value, s.ref));
    } finally {
      postingsLock.writeLock().unlock();
    }
  }

  private void post(String name, String value, int ref) {
    postings.add(name, value, ref);
  }

  /** Label strings repeat across series; one copy of each keeps the head's memory per series down. */
  private Labels intern(Labels labels) {
    String[] pairs = new String[labels.size() * 2];
    for (int i = 0; i < labels.size(); i++) {
      pairs[2 * i] = symbols.computeIfAbsent(labels.name(i), k -> k);
      pairs[2 * i + 1] = symbols.computeIfAbsent(labels.value(i), k -> k);
    }
    return Labels.of(pairs);
  }

  /** Runs {@code reader} over the postings under the read lock. */
  <R> R readPostings(java.util.function.Function<HeadPostings, R> reader) {
    postingsLock.readLock().lock();
    try {
      return reader.apply(postings);
    } finally {
      postingsLock.readLock().unlock();
    }
  }
}

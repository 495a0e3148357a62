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
import java.util.HashMap;
import java.util.Map;
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
  private final Map<String, Map<String, RoaringBitmap>> postings = new HashMap<>();
  private final ReadWriteLock postingsLock = new ReentrantReadWriteLock();
  private final Object refLock = new Object();
  private volatile MemSeries[] byRef = new MemSeries[1024];
  private int nextRef;

  private Head(Wal wal, long oooWindowMs, int maxExemplars) {
    this.wal = wal;
    this.oooWindowMs = oooWindowMs;
    this.exemplars = new ExemplarRing(maxExemplars);
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
    Path walDir = dir.resolve("wal");
    Head[] head = new Head[1];
    long[] counts = new long[3];
    long start = System.nanoTime();
    // Replay before the writer opens a new segment, but after it has repaired: open() does both in that order.
    Wal wal = Wal.open(walDir, walConfig);
    head[0] = new Head(wal, oooWindowMs, maxExemplars);
    Wal.replay(walDir, 0, (segment, record) -> WalRecords.decode(record, new WalRecords.Handler() {
      @Override
      public void series(int ref, Labels labels) {
        head[0].restoreSeries(ref, labels);
        counts[0]++;
      }

      @Override
      public void sample(int ref, long t, double v) {
        MemSeries s = head[0].series(ref);
        if (s != null && s.append(t, v, oooWindowMs)) {
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
    }));
    log.atInfo().addKeyValue("series", counts[0]).addKeyValue("samples", counts[1])
        .addKeyValue("samples_dropped", counts[2]).addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
        .log("metric head replayed its WAL");
    return head[0];
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
      minT = Math.min(minT, s.minTime());
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
      for (var name : p.entrySet()) {
        if (name.getKey().equals(ALL)) {
          continue;
        }
        long bytes = 0;
        for (var value : name.getValue().entrySet()) {
          long series = value.getValue().getLongCardinality();
          bytes += value.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
          pairs.add(new StoreStats.Count(name.getKey() + "=" + value.getKey(), series));
          if (name.getKey().equals(Labels.METRIC_NAME)) {
            byMetric.add(new StoreStats.Count(value.getKey(), series));
          }
        }
        numPairs += name.getValue().size();
        valueCounts.add(new StoreStats.Count(name.getKey(), name.getValue().size()));
        memory.add(new StoreStats.Count(name.getKey(), bytes));
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
    postings.computeIfAbsent(name, k -> new HashMap<>()).computeIfAbsent(value, k -> new RoaringBitmap()).add(ref);
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
  <R> R readPostings(java.util.function.Function<Map<String, Map<String, RoaringBitmap>>, R> reader) {
    postingsLock.readLock().lock();
    try {
      return reader.apply(postings);
    } finally {
      postingsLock.readLock().unlock();
    }
  }
}

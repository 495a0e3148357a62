package io.sightline.metricstore.head;

import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.SeriesRef;
import io.sightline.metricstore.wal.WalRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch: checked sample by sample on append, logged to the WAL and applied to the series on commit.
 * Used by one thread.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private int count;
  /** Series of samples refused at commit; their pending marks are released with the rest. */
  private final List<MemSeries> lateSeries = new ArrayList<>();
  private MemSeries[] series = new MemSeries[64];
  private long[] timestamps = new long[64];
  private double[] values = new double[64];
  /** Null for a float sample; allocated with the batch's first histogram, since most batches have none. */
  private io.sightline.core.model.Histogram[] histograms;
  /** Keeps the touching loads of a commit from being optimized away. */
  private int warmed;
  /** Set once a commit has appended the batch, which released each series' claim on the way. */
  private boolean released;

  /** Samples after this are too far in the future; fixed when the batch begins, as Prometheus does per request. */
  private final long maxValidTime;

  HeadAppender(Head head) {
    this.head = head;
    this.maxValidTime = head.maxValidTime();
  }

  @Override
  public SeriesRef ref(Labels labels) {
    return head.getOrCreate(labels, new boolean[1]);
  }

  @Override
  public Outcome append(SeriesRef ref, long timestampMs, double value) {
    if (timestampMs < head.minValidTime()) {
      return Outcome.TOO_OLD; // its time range is in a block already
    }
    if (timestampMs > maxValidTime) {
      return Outcome.TOO_FAR_IN_FUTURE;
    }
    MemSeries s = (MemSeries) ref;
    Outcome outcome;
    while ((outcome = s.checkFor(this, timestampMs, value, head.oooWindowMs())) == null) {
      // Dropped by a head truncation since the caller looked it up: the labels lead to its successor.
      s = head.getOrCreate(s.labels, new boolean[1]);
      if (!s.valid()) {
        Thread.onSpinWait(); // the truncation is still unlinking it
      }
    }
    if (outcome != Outcome.ACCEPTED) {
      return outcome;
    }
    add(s, timestampMs, value, null);
    return Outcome.ACCEPTED;
  }

  private void add(MemSeries s, long timestampMs, double value, io.sightline.core.model.Histogram histogram) {
    if (count == series.length) {
      int n = count * 2;
      series = Arrays.copyOf(series, n);
      timestamps = Arrays.copyOf(timestamps, n);
      values = Arrays.copyOf(values, n);
      if (histograms != null) {
        histograms = Arrays.copyOf(histograms, n);
      }
    }
    series[count] = s;
    timestamps[count] = timestampMs;
    values[count] = value;
    if (histogram != null && histograms == null) {
      histograms = new io.sightline.core.model.Histogram[series.length];
    }
    if (histograms != null) {
      histograms[count] = histogram;
    }
    count++;
  }

  @Override
  public Outcome appendHistogram(SeriesRef ref, long timestampMs, io.sightline.core.model.Histogram histogram) {
    String invalid = histogram.invalidReason();
    if (invalid != null) {
      throw new IllegalArgumentException(invalid); // receivers validate first; this guards the chunks
    }
    if (timestampMs < head.minValidTime()) {
      return Outcome.TOO_OLD;
    }
    if (timestampMs > maxValidTime) {
      return Outcome.TOO_FAR_IN_FUTURE;
    }
    MemSeries s = (MemSeries) ref;
    Outcome outcome;
    while ((outcome = s.checkHistogramFor(this, timestampMs, histogram)) == null) {
      s = head.getOrCreate(s.labels, new boolean[1]);
      if (!s.valid()) {
        Thread.onSpinWait();
      }
    }
    if (outcome == Outcome.ACCEPTED) {
      add(s, timestampMs, Double.NaN, histogram);
    }
    return outcome;
  }

  /** Exemplars of this batch; few per request, so plain lists. */
  private final List<MemSeries> exemplarSeries = new ArrayList<>();
  private final List<Labels> exemplarLabels = new ArrayList<>();
  private final List<long[]> exemplarPoints = new ArrayList<>();
  private final java.util.Map<MemSeries, Long> newestExemplar = new java.util.IdentityHashMap<>();

  private final java.util.Map<String, io.sightline.metricstore.MetricMetadata> pendingMetadata =
      new java.util.LinkedHashMap<>();

  @Override
  public void updateMetadata(String name, io.sightline.metricstore.MetricMetadata metadata) {
    // Senders repeat metadata with every batch; only a change is worth a WAL record.
    if (!metadata.equals(head.metadataMap().get(name))) {
      pendingMetadata.put(name, metadata);
    }
  }

  @Override
  public Outcome appendExemplar(SeriesRef ref, Labels labels, long timestampMs, double value) {
    MemSeries s = (MemSeries) ref;
    Long inBatch = newestExemplar.get(s);
    Outcome o = inBatch == null ? s.checkExemplar(timestampMs)
        : timestampMs > inBatch ? Outcome.ACCEPTED : timestampMs == inBatch ? Outcome.IDENTICAL : Outcome.OUT_OF_ORDER;
    if (o == Outcome.ACCEPTED) {
      exemplarSeries.add(s);
      exemplarLabels.add(labels);
      exemplarPoints.add(new long[] {timestampMs, Double.doubleToRawLongBits(value)});
      newestExemplar.put(s, timestampMs);
    }
    return o;
  }

  @Override
  public int commit() throws IOException {
    if (count == 0 && exemplarSeries.isEmpty() && pendingMetadata.isEmpty()) {
      return 0;
    }
    head.commitLock().readLock().lock();
    try {
      return commitLocked();
    } finally {
      head.commitLock().readLock().unlock();
    }
  }

  /**
   * Under the shared commit lock: samples that fell behind the head's minimum valid time since they were checked (a
   * block was cut meanwhile) are refused here, before anything is logged.
   */
  private int commitLocked() throws IOException {
    long minValid = head.minValidTime();
    long batchMin = Long.MAX_VALUE;
    long batchMax = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      batchMin = Math.min(batchMin, timestamps[i]);
      batchMax = Math.max(batchMax, timestamps[i]);
    }
    int late = 0;
    if (batchMin < minValid) {
      // Rare: only a batch that straddles a block cut. Compact it in place, keeping the order.
      batchMin = Long.MAX_VALUE;
      for (int i = 0; i < count; i++) {
        if (timestamps[i] < minValid) {
          lateSeries.add(series[i]);
          late++;
          continue;
        }
        series[i - late] = series[i];
        timestamps[i - late] = timestamps[i];
        values[i - late] = values[i];
        if (histograms != null) {
          histograms[i - late] = histograms[i];
        }
        batchMin = Math.min(batchMin, timestamps[i]);
      }
      count -= late;
    }
    // New series are rare once a sender has warmed up, so the set is only built when one is seen.
    java.util.Set<MemSeries> seen = null;
    List<MemSeries> unlogged = new ArrayList<>();
    List<MemSeries> touched = new ArrayList<>(exemplarSeries);
    for (int i = 0; i < count; i++) {
      touched.add(series[i]);
    }
    for (MemSeries s : touched) {
      if (!s.logged()) {
        if (seen == null) {
          seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        }
        if (seen.add(s)) {
          unlogged.add(s);
        }
      }
    }
    List<byte[]> records = new ArrayList<>(2);
    if (!unlogged.isEmpty()) {
      int[] refs = new int[unlogged.size()];
      Labels[] labels = new Labels[unlogged.size()];
      for (int i = 0; i < refs.length; i++) {
        refs[i] = unlogged.get(i).ref;
        labels[i] = unlogged.get(i).labels;
      }
      records.add(WalRecords.series(refs, labels, refs.length));
    }
    if (count > 0) {
      int[] refs = new int[count];
      for (int i = 0; i < count; i++) {
        refs[i] = series[i].ref;
      }
      if (histograms == null) {
        records.add(WalRecords.samples(refs, timestamps, values, count));
      } else {
        addMixedRecords(records, refs);
      }
    }
    int ex = exemplarSeries.size();
    if (ex > 0) {
      int[] refs = new int[ex];
      long[] ts = new long[ex];
      double[] vs = new double[ex];
      for (int i = 0; i < ex; i++) {
        refs[i] = exemplarSeries.get(i).ref;
        ts[i] = exemplarPoints.get(i)[0];
        vs[i] = Double.longBitsToDouble(exemplarPoints.get(i)[1]);
      }
      records.add(WalRecords.exemplars(refs, exemplarLabels.toArray(Labels[]::new), ts, vs, ex));
    }
    if (!pendingMetadata.isEmpty()) {
      java.util.Map<String, String[]> encoded = new java.util.LinkedHashMap<>();
      pendingMetadata.forEach((n, m) -> encoded.put(n, new String[] {m.type(), m.help(), m.unit()}));
      records.add(WalRecords.metadata(encoded));
    }
    head.wal().append(records);
    head.metadataMap().putAll(pendingMetadata);
    unlogged.forEach(MemSeries::markLogged);
    // Every open chunk is read once, in a row, before the locked appends: the CPU overlaps these independent loads,
    // where each locked append would otherwise wait for its chunk's cache misses in turn.
    int warm = 0;
    for (int i = 0; i < count; i++) {
      warm += series[i].touchOpenChunk();
    }
    this.warmed = warm;
    for (int i = 0; i < count; i++) {
      boolean appended = histograms != null && histograms[i] != null
          ? series[i].appendHistogram(this, timestamps[i], histograms[i], head.chunkRangeMs())
          : series[i].append(this, timestamps[i], values[i], head.oooWindowMs(), head.chunkRangeMs());
      if (!appended) {
        series[i].releasePending(this); // lost a race, so its claim may still stand
      }
    }
    released = true; // every claim is released
    if (count > 0) {
      head.observeTimes(batchMin, batchMax);
    }
    for (int i = 0; i < ex; i++) {
      MemSeries s = exemplarSeries.get(i);
      if (s.advanceExemplar(exemplarPoints.get(i)[0])) {
        head.exemplarRing().add(s.ref, exemplarLabels.get(i), exemplarPoints.get(i)[0],
            Double.longBitsToDouble(exemplarPoints.get(i)[1]));
      }
    }
    clear();
    return late;
  }

  /** Floats and histograms in append order, a record per run of one kind, so that replay keeps that order. */
  private void addMixedRecords(List<byte[]> records, int[] refs) {
    int runStart = 0;
    for (int i = 1; i <= count; i++) {
      boolean runEnds = i == count || (histograms[i] == null) != (histograms[runStart] == null);
      if (!runEnds) {
        continue;
      }
      if (histograms[runStart] != null) {
        records.add(WalRecords.histograms(refs, timestamps, histograms, runStart, i));
      } else {
        int n = i - runStart;
        records.add(WalRecords.samples(Arrays.copyOfRange(refs, runStart, i),
            Arrays.copyOfRange(timestamps, runStart, i), Arrays.copyOfRange(values, runStart, i), n));
      }
      runStart = i;
    }
  }

  @Override
  public void rollback() {
    clear();
  }

  private void clear() {
    if (!released) {
      for (int i = 0; i < count; i++) {
        series[i].releasePending(this);
      }
    }
    released = false;
    lateSeries.forEach(s -> s.releasePending(this));
    lateSeries.clear();
    count = 0;
    Arrays.fill(series, null);
    histograms = null;
    exemplarSeries.clear();
    exemplarLabels.clear();
    exemplarPoints.clear();
    newestExemplar.clear();
    pendingMetadata.clear();
  }
}

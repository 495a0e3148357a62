package io.sightline.metricstore.head;

import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.wal.WalRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch: checked sample by sample on append, logged to the WAL and applied to the series on commit.
 * Used by one thread.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private int count;
  private MemSeries[] series = new MemSeries[64];
  private long[] timestamps = new long[64];
  private double[] values = new double[64];
  /** The newest sample of each series in this batch, so that a batch is checked against itself too. */
  private final Map<MemSeries, long[]> newest = new IdentityHashMap<>();

  HeadAppender(Head head) {
    this.head = head;
  }

  @Override
  public Outcome append(Labels labels, long timestampMs, double value) {
    MemSeries s = head.getOrCreate(labels, new boolean[1]);
    long[] inBatch = newest.get(s);
    Outcome outcome = inBatch != null
        ? MemSeries.check(inBatch[0], Double.longBitsToDouble(inBatch[1]), timestampMs, value)
        : s.check(timestampMs, value);
    if (outcome != Outcome.ACCEPTED) {
      return outcome;
    }
    if (count == series.length) {
      int n = count * 2;
      series = Arrays.copyOf(series, n);
      timestamps = Arrays.copyOf(timestamps, n);
      values = Arrays.copyOf(values, n);
    }
    series[count] = s;
    timestamps[count] = timestampMs;
    values[count] = value;
    count++;
    newest.put(s, new long[] {timestampMs, Double.doubleToRawLongBits(value)});
    return Outcome.ACCEPTED;
  }

  @Override
  public void commit() throws IOException {
    if (count == 0) {
      return;
    }
    List<MemSeries> unlogged = new ArrayList<>();
    for (MemSeries s : newest.keySet()) {
      if (!s.logged()) {
        unlogged.add(s);
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
    int[] refs = new int[count];
    for (int i = 0; i < count; i++) {
      refs[i] = series[i].ref;
    }
    records.add(WalRecords.samples(refs, timestamps, values, count));
    head.wal().append(records);
    unlogged.forEach(MemSeries::markLogged);
    for (int i = 0; i < count; i++) {
      series[i].append(timestamps[i], values[i]);
    }
    clear();
  }

  @Override
  public void rollback() {
    clear();
  }

  private void clear() {
    count = 0;
    newest.clear();
    Arrays.fill(series, null);
  }
}

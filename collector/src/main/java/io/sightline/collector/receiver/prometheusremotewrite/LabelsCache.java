package io.sightline.collector.receiver.prometheusremotewrite;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Remembers the label set of each series by the exact bytes its labels had on the wire. A sender writes a series'
 * labels identically in every request, so a hit skips decoding, validating and sorting them: the largest cost of
 * remote-write ingest once the series exist.
 *
 * <p>Lossy and lock-free: a fixed table of immutable entries, where a colliding insert replaces what was there. A
 * miss only costs the decoding the cache saves; readers never see a half-written entry.
 */
public final class LabelsCache {
  /** Probes per lookup before giving up: short runs keep a miss cheap. */
  private static final int PROBES = 4;

  private record Entry(int hash, byte[] key, DecodedSeries series) {}

  private final AtomicReferenceArray<Entry> table;
  private final int mask;

  /** @param capacity entries, rounded up to a power of two; about the number of active series is right */
  public LabelsCache(int capacity) {
    int size = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
    table = new AtomicReferenceArray<>(size);
    mask = size - 1;
  }

  static int hash(byte[] bytes, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + bytes[i];
    }
    return h ^ (h >>> 16);
  }

  /** The series stored for {@code bytes[from, to)}, or null. */
  DecodedSeries get(byte[] bytes, int from, int to, int hash) {
    for (int i = 0; i < PROBES; i++) {
      Entry e = table.get((hash + i) & mask);
      if (e == null) {
        return null;
      }
      if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, bytes, from, to)) {
        return e.series;
      }
    }
    return null;
  }

  void put(byte[] bytes, int from, int to, int hash, DecodedSeries series) {
    Entry entry = new Entry(hash, Arrays.copyOfRange(bytes, from, to), series);
    for (int i = 0; i < PROBES; i++) {
      int slot = (hash + i) & mask;
      if (table.get(slot) == null) {
        table.set(slot, entry);
        return;
      }
    }
    table.set(hash & mask, entry);
  }
}

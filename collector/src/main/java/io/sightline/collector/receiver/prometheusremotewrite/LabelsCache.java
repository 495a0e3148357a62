package io.sightline.collector.receiver.prometheusremotewrite;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Remembers the label set of each series by the exact bytes its labels had on the wire. A sender writes a series'
 * labels identically in every request, so a hit skips decoding, validating and sorting them: the largest cost of
 * remote-write ingest once the series exist.
 *
 * <p>Entries are keyed by a 128-bit fingerprint of those bytes rather than the bytes themselves: comparing two longs
 * held in the entry costs one memory access where comparing a copy of the bytes cost two or three cache misses per
 * lookup (a quarter of ingest CPU). The fingerprint is kept in the {@link DecodedSeries} itself, which the table
 * holds directly: a hit touches one object, the one the consumer reads next anyway. Two label sets would have to agree on both independent 64-bit halves to be
 * confused; at a million series that is about one chance in 10^26 per pair.
 *
 * <p>Lossy and lock-free: a fixed table of immutable entries, where a colliding insert replaces what was there. A
 * miss only costs the decoding the cache saves; readers never see a half-written entry.
 */
public final class LabelsCache {
  /** Probes per lookup before giving up: short runs keep a miss cheap. */
  private static final int PROBES = 4;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  /** The two halves of a fingerprint; {@code h1} also picks the slot. */
  record Fingerprint(long h1, long h2) {}

  private final AtomicReferenceArray<DecodedSeries> table;
  private final int mask;

  /** @param capacity entries, rounded up to a power of two; about the number of active series is right */
  public LabelsCache(int capacity) {
    int size = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
    table = new AtomicReferenceArray<>(size);
    mask = size - 1;
  }

  /** MurmurHash3's 128-bit mixing over {@code bytes[from, to)}, eight bytes at a time. */
  static Fingerprint fingerprint(byte[] bytes, int from, int to) {
    long h1 = 0x9368e53c2f6af274L;
    long h2 = 0x586dcd208f7cd3fdL;
    int i = from;
    for (; i + 16 <= to; i += 16) {
      long k1 = (long) LONGS.get(bytes, i);
      long k2 = (long) LONGS.get(bytes, i + 8);
      h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
      h1 = (Long.rotateLeft(h1, 27) + h2) * 5 + 0x52dce729;
      h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
      h2 = (Long.rotateLeft(h2, 31) + h1) * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    for (int j = to - 1; j >= i; j--) {
      if (j - i >= 8) {
        k2 = (k2 << 8) | (bytes[j] & 0xFF);
      } else {
        k1 = (k1 << 8) | (bytes[j] & 0xFF);
      }
    }
    h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
    h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
    h1 ^= to - from;
    h2 ^= to - from;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    return new Fingerprint(h1, h2);
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** The series stored under {@code key}, or null. */
  DecodedSeries get(Fingerprint key) {
    int at = (int) key.h1;
    for (int i = 0; i < PROBES; i++) {
      DecodedSeries e = table.get((at + i) & mask);
      if (e == null) {
        return null;
      }
      if (e.h1 == key.h1 && e.h2 == key.h2) {
        return e;
      }
    }
    return null;
  }

  /**
   * Reads the entries {@code keys[0, n)} would find, all in a row and without using them: the CPU overlaps these
   * independent loads, so that the lookups that follow find them in its cache instead of waiting for each miss in
   * turn. Returns a value only so that the loads are not optimized away.
   */
  int touch(Fingerprint[] keys, int n) {
    int found = 0;
    for (int i = 0; i < n; i++) {
      DecodedSeries e = table.getPlain((int) keys[i].h1 & mask);
      if (e != null && e.h1 == keys[i].h1) {
        found++;
      }
    }
    return found;
  }

  /** Stores {@code series}, which must not be in the cache under another key. */
  void put(Fingerprint key, DecodedSeries series) {
    DecodedSeries entry = series;
    entry.h1 = key.h1; // published by the volatile write below
    entry.h2 = key.h2;
    int at = (int) key.h1;
    for (int i = 0; i < PROBES; i++) {
      int slot = (at + i) & mask;
      if (table.get(slot) == null) {
        table.set(slot, entry);
        return;
      }
    }
    table.set(at & mask, entry);
  }
}

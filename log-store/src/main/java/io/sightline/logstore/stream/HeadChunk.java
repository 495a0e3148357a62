package io.sightline.logstore.stream;

import io.sightline.core.model.Labels;
import io.sightline.logstore.filter.Mixing;
import java.util.Arrays;

/**
 * A stream's chunk in memory: columns that only grow, so that a reader's {@link View} (arrays and a count taken under
 * the stream's lock) stays valid without a lock while appends go on: a full array is replaced by a bigger copy, and
 * the reader keeps the old one.
 *
 * <pre>
 *   ts       [ t0 | t1 | t2 | ... ]          insertion order (out-of-order entries allowed)
 *   lineEnd  [ 31 | 70 | 98 | ... ]   ──▶   lines [ line0 bytes | line1 bytes | line2 bytes | ... ]
 *   meta     [ m0 | m1 | m2 | ... ]          structured metadata, the appender's Labels
 *   byTime   hash of ts ─▶ first entry, next[] ─▶ the other entries with that time   (duplicate check)
 * </pre>
 *
 * A cut {@link #seal}s it: sorted by time (copied only when entries came out of order), without the duplicate index.
 */
public final class HeadChunk {
  private long[] ts;
  private int[] lineEnd;
  private byte[] lines;
  private Labels[] meta;
  private int count;
  private long rawBytes;
  private long minTs = Long.MAX_VALUE;
  private long maxTs = Long.MIN_VALUE;
  private boolean sorted = true;
  private int[] byTime;
  private int[] next;
  /** Orders chunks by creation, for the merge's "order stored" tie-break. */
  private final long seq;

  HeadChunk(long seq, int expectedEntries, int expectedBytes) {
    this.seq = seq;
    int n = Math.max(16, expectedEntries);
    ts = new long[n];
    lineEnd = new int[n];
    meta = new Labels[n];
    next = new int[n];
    lines = new byte[Math.max(256, expectedBytes)];
    byTime = new int[Integer.highestOneBit(n) << 2];
  }

  private HeadChunk(long seq, long[] ts, int[] lineEnd, byte[] lines, Labels[] meta, int count, long rawBytes,
      long minTs, long maxTs) {
    this.seq = seq;
    this.ts = ts;
    this.lineEnd = lineEnd;
    this.lines = lines;
    this.meta = meta;
    this.count = count;
    this.rawBytes = rawBytes;
    this.minTs = minTs;
    this.maxTs = maxTs;
  }

  /** What a reader sees: the first {@code count} entries of these arrays. */
  public record View(long seq, long[] ts, int[] lineEnd, byte[] lines, Labels[] meta, int count, boolean sorted,
      long minTs, long maxTs, long rawBytes) {

    public int lineStart(int i) {
      return i == 0 ? 0 : lineEnd[i - 1];
    }

    /** Entry indexes by time, ties in insertion order. */
    public int[] order() {
      int[] o = new int[count];
      for (int i = 0; i < count; i++) {
        o[i] = i;
      }
      if (!sorted) {
        Sorting.byTime(o, ts);
      }
      return o;
    }
  }

  public long seq() {
    return seq;
  }

  public int count() {
    return count;
  }

  public long rawBytes() {
    return rawBytes;
  }

  /** Bytes of the lines alone. */
  public int lineBytes() {
    return count == 0 ? 0 : lineEnd[count - 1];
  }

  public long minTs() {
    return minTs;
  }

  public long maxTs() {
    return maxTs;
  }

  public View view() {
    return new View(seq, ts, lineEnd, lines, meta, count, sorted, minTs, maxTs, rawBytes);
  }

  /** Whether the chunk holds an entry with this time and line. */
  boolean contains(long t, byte[] b, int off, int len) {
    if (byTime == null) {
      return false;
    }
    int mask = byTime.length - 1;
    for (int slot = (int) Mixing.mix(t) & mask; byTime[slot] != 0; slot = (slot + 1) & mask) {
      int i = byTime[slot] - 1;
      if (ts[i] != t) {
        continue;
      }
      for (; i >= 0; i = next[i]) {
        int start = i == 0 ? 0 : lineEnd[i - 1];
        if (lineEnd[i] - start == len && Arrays.equals(lines, start, start + len, b, off, off + len)) {
          return true;
        }
      }
      return false;
    }
    return false;
  }

  /** Appends an entry (the caller checked {@link #contains}); {@code size} is what it counts for the limits. */
  void add(long t, byte[] b, int off, int len, Labels m, long size) {
    if (count == ts.length) {
      int n = count * 2;
      ts = Arrays.copyOf(ts, n);
      lineEnd = Arrays.copyOf(lineEnd, n);
      meta = Arrays.copyOf(meta, n);
      next = Arrays.copyOf(next, n);
    }
    int start = count == 0 ? 0 : lineEnd[count - 1];
    if (start + len > lines.length) {
      lines = Arrays.copyOf(lines, Math.max(lines.length * 2, start + len));
    }
    System.arraycopy(b, off, lines, start, len);
    ts[count] = t;
    lineEnd[count] = start + len;
    meta[count] = m;
    if (t < maxTs) {
      sorted = false;
    }
    minTs = Math.min(minTs, t);
    maxTs = Math.max(maxTs, t);
    rawBytes += size;
    index(count);
    count++;
  }

  private void index(int i) {
    if ((count + 1) * 2 > byTime.length) {
      byTime = new int[byTime.length * 2];
      for (int j = 0; j < i; j++) {
        next[j] = -1;
      }
      for (int j = 0; j < i; j++) {
        put(j);
      }
    }
    next[i] = -1;
    put(i);
  }

  private void put(int i) {
    int mask = byTime.length - 1;
    long t = ts[i];
    for (int slot = (int) Mixing.mix(t) & mask; ; slot = (slot + 1) & mask) {
      int at = byTime[slot];
      if (at == 0) {
        byTime[slot] = i + 1;
        return;
      }
      if (ts[at - 1] == t) {
        // newest first in the chain: the slot names the latest entry with this time
        next[i] = at - 1;
        byTime[slot] = i + 1;
        return;
      }
    }
  }

  /**
   * A sorted chunk that takes no more entries: these very columns when the entries came in time order (the usual
   * case, no copy; the caller replaces this chunk and never appends to it again), otherwise a sorted copy.
   */
  HeadChunk seal() {
    if (sorted) {
      return new HeadChunk(seq, ts, lineEnd, lines, meta, count, rawBytes, minTs, maxTs);
    }
    int[] order = view().order();
    long[] sts = new long[count];
    int[] send = new int[count];
    Labels[] smeta = new Labels[count];
    int total = count == 0 ? 0 : lineEnd[count - 1];
    byte[] slines = new byte[total];
    int at = 0;
    for (int k = 0; k < count; k++) {
      int i = order[k];
      int start = i == 0 ? 0 : lineEnd[i - 1];
      int len = lineEnd[i] - start;
      System.arraycopy(lines, start, slines, at, len);
      at += len;
      sts[k] = ts[i];
      send[k] = at;
      smeta[k] = meta[i];
    }
    return new HeadChunk(seq, sts, send, slines, smeta, count, rawBytes, minTs, maxTs);
  }
}

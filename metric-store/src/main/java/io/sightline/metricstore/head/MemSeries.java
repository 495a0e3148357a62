package io.sightline.metricstore.head;

import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender.Outcome;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.SeriesRef;
import io.sightline.metricstore.chunk.XorChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * One series in the head: its labels, its closed chunks (encoded bytes, immutable) and the chunk being appended to.
 * A chunk is cut at {@link #SAMPLES_PER_CHUNK} samples.
 *
 * <pre>
 *   ref 17  {__name__="http_requests_total", job="api"}
 *   closed: [ t 0‥1785000 │ 120 samples │ 183 B ] [ t 1800000‥3585000 │ 120 samples │ 176 B ]
 *   open:   XorChunk (37 samples so far), last t 4140000, last v 1234
 * </pre>
 */
final class MemSeries implements SeriesRef {
  /** Prometheus' figure: at 15 s scrapes a chunk spans 30 minutes, and Gorilla encoding has reached its rate. */
  static final int SAMPLES_PER_CHUNK = 120;

  final int ref;
  final Labels labels;
  private final List<ClosedChunk> closed = new ArrayList<>(2);
  private XorChunk open;
  private long openMinT;
  private long lastT = Long.MIN_VALUE;
  private double lastV;
  /** Whether the WAL holds this series' record yet; its samples may only be logged after it. */
  private volatile boolean logged;

  /** An immutable chunk and the time range it covers. */
  record ClosedChunk(long minT, long maxT, byte[] bytes) {}

  MemSeries(int ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** Whether {@code (t, v)} may follow what this series holds; the caller appends the accepted ones at commit. */
  synchronized Outcome check(long t, double v) {
    return check(lastT, lastV, t, v);
  }

  /**
   * The appender whose uncommitted batch holds samples of this series, and the newest of them: a batch must be
   * checked against itself too. Kept here rather than in a map of the appender's because a map entry per sample was a
   * tenth of the ingest CPU. Another appender that finds a different owner checks against the committed samples only;
   * a sample that loses a race between two commits is dropped by {@link #append}.
   */
  private Object pendingOwner;
  private long pendingT;
  private long pendingBits;

  /** Checks {@code (t, v)} for {@code owner}'s batch and, if accepted, records it as that batch's newest. */
  synchronized Outcome checkFor(Object owner, long t, double v) {
    Outcome o = pendingOwner == owner ? check(pendingT, Double.longBitsToDouble(pendingBits), t, v) : check(t, v);
    if (o == Outcome.ACCEPTED) {
      pendingOwner = owner;
      pendingT = t;
      pendingBits = Double.doubleToRawLongBits(v);
    }
    return o;
  }

  /** {@code owner}'s batch is committed or dropped. */
  synchronized void releasePending(Object owner) {
    if (pendingOwner == owner) {
      pendingOwner = null;
    }
  }

  static Outcome check(long lastT, double lastV, long t, double v) {
    if (lastT == Long.MIN_VALUE || t > lastT) {
      return Outcome.ACCEPTED;
    }
    if (t < lastT) {
      return Outcome.OUT_OF_ORDER;
    }
    return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(lastV) ? Outcome.IDENTICAL : Outcome.DUPLICATE;
  }

  boolean logged() {
    return logged;
  }

  void markLogged() {
    logged = true;
  }

  synchronized long lastTimestamp() {
    return lastT;
  }

  synchronized double lastValue() {
    return lastV;
  }

  /** Appends a sample that passed {@link #check}; a sample that no longer passes (a racing commit) is dropped. */
  synchronized boolean append(long t, double v) {
    if (lastT != Long.MIN_VALUE && t <= lastT) {
      return false;
    }
    if (open == null || open.numSamples() >= SAMPLES_PER_CHUNK) {
      if (open != null) {
        closed.add(new ClosedChunk(openMinT, lastT, open.bytes()));
      }
      open = new XorChunk();
      openMinT = t;
    }
    open.append(t, v);
    lastT = t;
    lastV = v;
    return true;
  }

  synchronized long minTime() {
    return closed.isEmpty() ? (open == null ? Long.MAX_VALUE : openMinT) : closed.get(0).minT();
  }

  synchronized long maxTime() {
    return lastT;
  }

  synchronized int chunkCount() {
    return closed.size() + (open == null ? 0 : 1);
  }

  /**
   * The samples in {@code [minT, maxT]}. Takes a snapshot of the chunks, so that appends during the read neither
   * block on it nor change what it sees.
   */
  SampleIterator iterator(long minT, long maxT) {
    List<byte[]> chunks = new ArrayList<>();
    synchronized (this) {
      for (ClosedChunk c : closed) {
        if (c.maxT() >= minT && c.minT() <= maxT) {
          chunks.add(c.bytes());
        }
      }
      if (open != null && lastT >= minT && openMinT <= maxT) {
        chunks.add(open.bytes());
      }
    }
    return new ChunksIterator(chunks, minT, maxT);
  }

  /** Walks several encoded chunks in order, keeping only samples inside the range. */
  private static final class ChunksIterator implements SampleIterator {
    private final List<byte[]> chunks;
    private final long minT;
    private final long maxT;
    private int next;
    private XorChunk.Iterator current;

    ChunksIterator(List<byte[]> chunks, long minT, long maxT) {
      this.chunks = chunks;
      this.minT = minT;
      this.maxT = maxT;
    }

    @Override
    public boolean next() {
      while (true) {
        if (current == null) {
          if (next >= chunks.size()) {
            return false;
          }
          current = XorChunk.iterator(chunks.get(next++));
        }
        while (current.next()) {
          long t = current.timestamp();
          if (t > maxT) {
            current = null;
            next = chunks.size();
            return false;
          }
          if (t >= minT) {
            return true;
          }
        }
        current = null;
      }
    }

    @Override
    public long timestamp() {
      return current.timestamp();
    }

    @Override
    public double value() {
      return current.value();
    }
  }
}

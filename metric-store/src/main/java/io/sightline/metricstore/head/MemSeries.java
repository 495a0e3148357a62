package io.sightline.metricstore.head;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender.Outcome;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.SeriesRef;
import io.sightline.metricstore.block.BlockWriter.EncodedChunk;
import io.sightline.metricstore.block.ChunkWriter;
import io.sightline.metricstore.chunk.HistogramChunk;
import io.sightline.metricstore.chunk.XorChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * One series in the head: its labels, its closed chunks (encoded bytes, immutable) and the chunk being appended to.
 * A chunk is cut at {@link #SAMPLES_PER_CHUNK} samples.
 *
 * <p>Samples older than the newest one but within the out-of-order window go to a separate, small, sorted buffer,
 * cut into its own chunks of {@link #OOO_SAMPLES_PER_CHUNK} as Prometheus' out-of-order head does; a read merges the
 * two in time order, and where both hold a timestamp the in-order sample wins.
 *
 * <p>A series may hold native histograms, or switch between floats and histograms: samples of both kinds share one
 * timeline, and a switch closes the open chunk and opens one of the other kind, as in Prometheus. Histograms have no
 * out-of-order window.
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
  /** Prometheus' size target for a histogram chunk, which it cuts at 1 KiB once it holds a few samples. */
  static final int HISTOGRAM_CHUNK_BYTES = 1024;
  static final int HISTOGRAM_CHUNK_MIN_SAMPLES = 10;
  /** Prometheus' default out-of-order capacity: small, since out-of-order samples are the exception. */
  static final int OOO_SAMPLES_PER_CHUNK = 32;

  final int ref;
  final Labels labels;
  /** Empty until the first chunk closes: a series seen once costs no array here. */
  private final List<ClosedChunk> closed = new ArrayList<>(0);
  private XorChunk open;
  /** The open chunk when the newest sample is a histogram; then {@link #open} is null, and the other way round. */
  private HistogramChunk openHistogram;
  private long openMinT;
  /** The open chunk is cut before this time, so that no chunk crosses a block boundary. */
  private long openEnd;
  private long lastT = Long.MIN_VALUE;
  private double lastV;
  /** Out-of-order samples not yet cut into a chunk, sorted by time; null until the first one. */
  private long[] oooT;
  private double[] oooV;
  private int oooCount;
  private List<ClosedChunk> oooChunks;
  /** The newest exemplar's time: exemplars of a series are kept in time order. */
  private long lastExemplarT = Long.MIN_VALUE;
  /** Whether the WAL holds this series' record yet; its samples may only be logged after it. */
  private volatile boolean logged;
  /** Set when head truncation drops the series; a handle to it must then be looked up again. */
  private volatile boolean removed;

  /** An immutable chunk, its encoding ({@link ChunkWriter}'s codes) and the time range it covers. */
  record ClosedChunk(long minT, long maxT, byte encoding, byte[] bytes) {
    ClosedChunk(long minT, long maxT, byte[] bytes) {
      this(minT, maxT, ChunkWriter.ENCODING_XOR, bytes);
    }

    SampleIterator iterator() {
      return new EncodedChunk(minT, maxT, encoding, bytes).iterator();
    }
  }

  MemSeries(int ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** Whether {@code (t, v)} may be added to what this series holds; the caller appends the accepted ones at commit. */
  synchronized Outcome check(long t, double v, long oooWindowMs) {
    return openHistogram != null && t == lastT ? Outcome.DUPLICATE : check(lastT, lastV, t, v, oooWindowMs);
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
  /** The batch's newest sample when it is a histogram. */
  private Histogram pendingHistogram;

  /**
   * Checks {@code (t, v)} for {@code owner}'s batch and, if it is the batch's newest, records it as such. Null when
   * the series was removed from the head: the caller must look its labels up again.
   */
  synchronized Outcome checkFor(Object owner, long t, double v, long oooWindowMs) {
    if (removed) {
      return null;
    }
    boolean mine = pendingOwner == owner;
    Outcome o = !mine ? check(t, v, oooWindowMs)
        : pendingHistogram != null && t == pendingT ? Outcome.DUPLICATE
        : check(pendingT, Double.longBitsToDouble(pendingBits), t, v, oooWindowMs);
    if (o == Outcome.ACCEPTED && (!mine || t > pendingT) && t > lastT) {
      pendingOwner = owner;
      pendingT = t;
      pendingBits = Double.doubleToRawLongBits(v);
      pendingHistogram = null;
    }
    return o;
  }

  /**
   * {@link #checkFor} for a histogram, which must be newer than every sample of the series and of the batch; at the
   * same time as the newest it is {@code IDENTICAL} if that is the same histogram, else {@code DUPLICATE}.
   */
  synchronized Outcome checkHistogramFor(Object owner, long t, Histogram h) {
    if (removed) {
      return null;
    }
    boolean mine = pendingOwner == owner;
    long newestT = mine ? pendingT : lastT;
    Histogram newest = mine ? pendingHistogram : openHistogram == null ? null : openHistogram.last();
    Outcome o;
    if (newestT == Long.MIN_VALUE || t > newestT) {
      o = Outcome.ACCEPTED;
    } else if (t < newestT) {
      o = Outcome.OUT_OF_ORDER;
    } else {
      o = newest != null && newest.sameValue(h) ? Outcome.IDENTICAL : Outcome.DUPLICATE;
    }
    if (o == Outcome.ACCEPTED) {
      pendingOwner = owner;
      pendingT = t;
      pendingHistogram = h;
    }
    return o;
  }

  /** {@code owner}'s batch is committed or dropped. */
  synchronized void releasePending(Object owner) {
    if (pendingOwner == owner) {
      pendingOwner = null;
      pendingHistogram = null;
    }
  }

  /** {@code owner}'s commit is appending its batch's newest sample of this series: its claim ends. Call locked. */
  private void releaseIfNewest(Object owner, long t) {
    if (owner != null && t == pendingT) {
      releasePending(owner);
    }
  }

  static Outcome check(long lastT, double lastV, long t, double v, long oooWindowMs) {
    if (lastT == Long.MIN_VALUE || t > lastT) {
      return Outcome.ACCEPTED;
    }
    if (t < lastT) {
      if (oooWindowMs <= 0) {
        return Outcome.OUT_OF_ORDER;
      }
      return t >= lastT - oooWindowMs ? Outcome.ACCEPTED : Outcome.TOO_OLD;
    }
    return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(lastV) ? Outcome.IDENTICAL : Outcome.DUPLICATE;
  }

  synchronized Outcome checkExemplar(long t) {
    return t > lastExemplarT ? Outcome.ACCEPTED : t == lastExemplarT ? Outcome.IDENTICAL : Outcome.OUT_OF_ORDER;
  }

  /** Records an exemplar's time; false if a racing commit got a newer one in first. */
  synchronized boolean advanceExemplar(long t) {
    if (t <= lastExemplarT) {
      return false;
    }
    lastExemplarT = t;
    return true;
  }

  @Override
  public boolean valid() {
    return !removed;
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

  /**
   * Appends a sample that passed {@link #check}: in order onto the chunks, or into the out-of-order buffer. A sample
   * that no longer passes (a racing commit moved the newest sample on) is dropped.
   */
  synchronized boolean append(long t, double v, long oooWindowMs, long chunkRangeMs) {
    return append(null, t, v, oooWindowMs, chunkRangeMs);
  }

  /**
   * {@link #append(long, double, long, long)} for {@code owner}'s commit: the batch's newest sample of this series
   * also ends the batch's claim on it, in the same locked section (a separate release per sample was a tenth of the
   * commit's cost).
   */
  synchronized boolean append(Object owner, long t, double v, long oooWindowMs, long chunkRangeMs) {
    releaseIfNewest(owner, t);
    if (lastT != Long.MIN_VALUE && t <= lastT) {
      return t < lastT && oooWindowMs > 0 && t >= lastT - oooWindowMs && insertOutOfOrder(t, v);
    }
    if (openHistogram != null) {
      closeHistogramChunk();
    }
    if (open == null || open.numSamples() >= SAMPLES_PER_CHUNK || t >= openEnd) {
      if (open != null) {
        closed.add(new ClosedChunk(openMinT, lastT, open.bytes()));
      }
      open = new XorChunk();
      openMinT = t;
      openEnd = (Math.floorDiv(t, chunkRangeMs) + 1) * chunkRangeMs;
    }
    open.append(t, v);
    lastT = t;
    lastV = v;
    return true;
  }

  private void closeHistogramChunk() {
    closed.add(new ClosedChunk(openMinT, lastT, ChunkWriter.ENCODING_HISTOGRAM, openHistogram.bytes()));
    openHistogram = null;
  }

  /**
   * Appends a histogram that passed {@link #checkHistogramFor}; false if a racing commit got a sample at or after
   * its time in first.
   */
  synchronized boolean appendHistogram(Object owner, long t, Histogram h, long chunkRangeMs) {
    releaseIfNewest(owner, t);
    if (lastT != Long.MIN_VALUE && t <= lastT) {
      return false;
    }
    if (open != null) {
      closed.add(new ClosedChunk(openMinT, lastT, open.bytes()));
      open = null;
    }
    HistogramChunk c = openHistogram;
    if (c == null || c.numSamples() >= SAMPLES_PER_CHUNK || t >= openEnd
        || c.size() >= HISTOGRAM_CHUNK_BYTES && c.numSamples() >= HISTOGRAM_CHUNK_MIN_SAMPLES) {
      if (c != null) {
        closeHistogramChunk();
      }
      openHistogram = new HistogramChunk();
      openMinT = t;
      openEnd = (Math.floorDiv(t, chunkRangeMs) + 1) * chunkRangeMs;
    }
    openHistogram.append(t, h);
    lastT = t;
    lastV = Double.NaN;
    return true;
  }

  /** Brings the open chunk into the cache, without the lock (see {@link io.sightline.metricstore.chunk.BitWriter#touch}). */
  int touchOpenChunk() {
    XorChunk c = open;
    return c == null ? 0 : c.touch();
  }

  /** Sorted insert into the buffer; a timestamp already there keeps its first value, as Prometheus' OOO chunk does. */
  private boolean insertOutOfOrder(long t, double v) {
    if (oooT == null) {
      oooT = new long[OOO_SAMPLES_PER_CHUNK];
      oooV = new double[OOO_SAMPLES_PER_CHUNK];
      oooChunks = new ArrayList<>(1);
    }
    int at = java.util.Arrays.binarySearch(oooT, 0, oooCount, t);
    if (at >= 0) {
      return false;
    }
    at = -at - 1;
    System.arraycopy(oooT, at, oooT, at + 1, oooCount - at);
    System.arraycopy(oooV, at, oooV, at + 1, oooCount - at);
    oooT[at] = t;
    oooV[at] = v;
    oooCount++;
    if (oooCount == OOO_SAMPLES_PER_CHUNK) {
      XorChunk c = new XorChunk();
      for (int i = 0; i < oooCount; i++) {
        c.append(oooT[i], oooV[i]);
      }
      oooChunks.add(new ClosedChunk(oooT[0], oooT[oooCount - 1], c.bytes()));
      oooCount = 0;
    }
    return true;
  }

  /**
   * Drops the chunks and out-of-order samples older than {@code end}, now in a block. Marks the series removed and
   * returns true when nothing is left and no uncommitted batch holds samples for it.
   */
  synchronized boolean truncateBefore(long end) {
    closed.removeIf(c -> c.maxT() < end);
    if (open != null && lastT < end) {
      open = null;
    }
    if (openHistogram != null && lastT < end) {
      openHistogram = null;
    }
    if (oooT != null) {
      oooChunks.removeIf(c -> c.maxT() < end);
      int kept = 0;
      for (int i = 0; i < oooCount; i++) {
        if (oooT[i] >= end) {
          oooT[kept] = oooT[i];
          oooV[kept] = oooV[i];
          kept++;
        }
      }
      oooCount = kept;
    }
    boolean empty = closed.isEmpty() && open == null && openHistogram == null && (oooT == null || oooCount == 0 && oooChunks.isEmpty());
    if (empty && pendingOwner == null) {
      removed = true;
    }
    return removed;
  }

  /**
   * This series' samples in {@code [start, end)} as encoded chunks, for a block. In-order chunks never cross a block
   * boundary, so they are handed over as they are; a range with out-of-order samples is encoded afresh.
   */
  List<EncodedChunk> chunksIn(long start, long end) {
    List<EncodedChunk> out = new ArrayList<>();
    synchronized (this) {
      boolean oooInRange = false;
      if (oooT != null) {
        for (int i = 0; i < oooCount; i++) {
          oooInRange |= oooT[i] >= start && oooT[i] < end;
        }
        for (ClosedChunk c : oooChunks) {
          oooInRange |= c.maxT() >= start && c.minT() < end;
        }
      }
      if (!oooInRange) {
        for (ClosedChunk c : closed) {
          if (c.minT() >= start && c.maxT() < end) {
            out.add(new EncodedChunk(c.minT(), c.maxT(), c.encoding(), c.bytes()));
          } else if (c.maxT() >= start && c.minT() < end) {
            oooInRange = true; // a chunk across the range (from before boundaries were kept): re-encode below
          }
        }
        ClosedChunk current = openChunk();
        if (!oooInRange && current != null && openMinT < end && lastT >= start) {
          if (openMinT >= start && lastT < end) {
            out.add(new EncodedChunk(current.minT(), current.maxT(), current.encoding(), current.bytes()));
          } else {
            oooInRange = true;
          }
        }
      }
      if (!oooInRange) {
        return out;
      }
    }
    return encode(iterator(start, end - 1));
  }

  /** The open chunk as a closed one, or null when there is none; call holding the lock. */
  private ClosedChunk openChunk() {
    if (open != null) {
      return new ClosedChunk(openMinT, lastT, open.bytes());
    }
    return openHistogram == null ? null
        : new ClosedChunk(openMinT, lastT, ChunkWriter.ENCODING_HISTOGRAM, openHistogram.bytes());
  }

  /** Samples encoded into head-sized chunks, a new chunk wherever the kind of sample changes. */
  private static List<EncodedChunk> encode(SampleIterator it) {
    List<EncodedChunk> out = new ArrayList<>();
    XorChunk floats = null;
    HistogramChunk histograms = null;
    long minT = 0;
    long maxT = 0;
    while (it.next()) {
      Histogram h = it.histogram();
      int held = floats != null ? floats.numSamples() : histograms != null ? histograms.numSamples() : 0;
      boolean switches = h == null ? histograms != null : floats != null;
      if (held >= SAMPLES_PER_CHUNK || switches) {
        out.add(floats != null ? new EncodedChunk(minT, maxT, floats.bytes())
            : new EncodedChunk(minT, maxT, ChunkWriter.ENCODING_HISTOGRAM, histograms.bytes()));
        floats = null;
        histograms = null;
      }
      if (floats == null && histograms == null) {
        minT = it.timestamp();
        if (h == null) {
          floats = new XorChunk();
        } else {
          histograms = new HistogramChunk();
        }
      }
      if (h == null) {
        floats.append(it.timestamp(), it.value());
      } else {
        histograms.append(it.timestamp(), h);
      }
      maxT = it.timestamp();
    }
    if (floats != null) {
      out.add(new EncodedChunk(minT, maxT, floats.bytes()));
    } else if (histograms != null) {
      out.add(new EncodedChunk(minT, maxT, ChunkWriter.ENCODING_HISTOGRAM, histograms.bytes()));
    }
    return out;
  }

  /**
   * Removes the samples in {@code [minT, maxT]} by rebuilding the chunks from the rest. The newest timestamp seen
   * stays what appends are checked against, so a deletion never lets an older sample in.
   */
  synchronized void deleteRange(long minT, long maxT, long chunkRangeMs) {
    List<Object[]> kept = new ArrayList<>();
    SampleIterator it = iterator(Long.MIN_VALUE, Long.MAX_VALUE);
    while (it.next()) {
      if (it.timestamp() < minT || it.timestamp() > maxT) {
        kept.add(new Object[] {it.timestamp(), it.histogram() != null ? it.histogram() : (Object) it.value()});
      }
    }
    long newest = lastT;
    double newestValue = lastV;
    closed.clear();
    open = null;
    openHistogram = null;
    oooT = null;
    oooV = null;
    oooCount = 0;
    oooChunks = null;
    lastT = Long.MIN_VALUE;
    for (Object[] sample : kept) {
      if (sample[1] instanceof Histogram h) {
        appendHistogram(null, (Long) sample[0], h, chunkRangeMs);
      } else {
        append((Long) sample[0], (Double) sample[1], 0, chunkRangeMs);
      }
    }
    if (lastT < newest) {
      lastT = newest;
      lastV = newestValue;
    }
  }

  synchronized long minTime() {
    long min = closed.isEmpty() ? (open == null && openHistogram == null ? Long.MAX_VALUE : openMinT)
        : closed.get(0).minT();
    if (oooT != null) {
      if (oooCount > 0) {
        min = Math.min(min, oooT[0]);
      }
      for (ClosedChunk c : oooChunks) {
        min = Math.min(min, c.minT());
      }
    }
    return min;
  }

  synchronized long maxTime() {
    return lastT;
  }

  synchronized int chunkCount() {
    return closed.size() + (open == null && openHistogram == null ? 0 : 1);
  }

  /**
   * The samples in {@code [minT, maxT]}. Takes a snapshot of the chunks, so that appends during the read neither
   * block on it nor change what it sees.
   */
  SampleIterator iterator(long minT, long maxT) {
    List<ClosedChunk> chunks = new ArrayList<>();
    long[] extraT = null;
    double[] extraV = null;
    int extra = 0;
    synchronized (this) {
      if (oooT != null) {
        // Out-of-order samples are few: gather those in range now, sorted, and merge them in while iterating.
        List<long[]> found = new ArrayList<>();
        for (ClosedChunk c : oooChunks) {
          if (c.maxT() >= minT && c.minT() <= maxT) {
            XorChunk.Iterator it = XorChunk.iterator(c.bytes());
            while (it.next()) {
              if (it.timestamp() >= minT && it.timestamp() <= maxT) {
                found.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
              }
            }
          }
        }
        for (int i = 0; i < oooCount; i++) {
          if (oooT[i] >= minT && oooT[i] <= maxT) {
            found.add(new long[] {oooT[i], Double.doubleToRawLongBits(oooV[i])});
          }
        }
        found.sort((a, b) -> Long.compare(a[0], b[0]));
        extraT = new long[found.size()];
        extraV = new double[found.size()];
        for (long[] f : found) {
          if (extra > 0 && extraT[extra - 1] == f[0]) {
            continue; // the earlier chunk's sample was written first
          }
          extraT[extra] = f[0];
          extraV[extra] = Double.longBitsToDouble(f[1]);
          extra++;
        }
      }
      for (ClosedChunk c : closed) {
        if (c.maxT() >= minT && c.minT() <= maxT) {
          chunks.add(c);
        }
      }
      if (lastT >= minT && openMinT <= maxT) {
        ClosedChunk current = openChunk();
        if (current != null) {
          chunks.add(current);
        }
      }
    }
    SampleIterator inOrder = new ChunksIterator(chunks, minT, maxT);
    return extra == 0 ? inOrder : new MergingIterator(inOrder, extraT, extraV, extra);
  }

  /** In-order samples merged with a sorted array of out-of-order ones; on equal timestamps the in-order one wins. */
  private static final class MergingIterator implements SampleIterator {
    private final SampleIterator inOrder;
    private final long[] extraT;
    private final double[] extraV;
    private final int extraCount;
    private int next;
    private boolean inOrderReady;
    private boolean inOrderDone;
    private long t;
    private double v;
    private Histogram h;

    MergingIterator(SampleIterator inOrder, long[] extraT, double[] extraV, int extraCount) {
      this.inOrder = inOrder;
      this.extraT = extraT;
      this.extraV = extraV;
      this.extraCount = extraCount;
    }

    @Override
    public boolean next() {
      if (!inOrderReady && !inOrderDone) {
        inOrderReady = inOrder.next();
        inOrderDone = !inOrderReady;
      }
      while (next < extraCount && inOrderReady && extraT[next] == inOrder.timestamp()) {
        next++; // the in-order sample at this timestamp wins
      }
      boolean takeExtra = next < extraCount && (!inOrderReady || extraT[next] < inOrder.timestamp());
      if (takeExtra) {
        t = extraT[next];
        v = extraV[next];
        h = null;
        next++;
        return true;
      }
      if (inOrderReady) {
        t = inOrder.timestamp();
        v = inOrder.value();
        h = inOrder.histogram();
        inOrderReady = false;
        return true;
      }
      return false;
    }

    @Override
    public long timestamp() {
      return t;
    }

    @Override
    public double value() {
      return v;
    }

    @Override
    public Histogram histogram() {
      return h;
    }
  }

  /** Walks several encoded chunks in order, keeping only samples inside the range. */
  private static final class ChunksIterator extends io.sightline.metricstore.chunk.SequenceIterator {
    private final List<ClosedChunk> chunks;
    private final long minT;
    private final long maxT;
    private int next;

    ChunksIterator(List<ClosedChunk> chunks, long minT, long maxT) {
      this.chunks = chunks;
      this.minT = minT;
      this.maxT = maxT;
    }

    @Override
    protected SampleIterator nextPart() {
      return next < chunks.size() ? chunks.get(next++).iterator() : null;
    }

    @Override
    protected Verdict judge(long t) {
      return t > maxT ? Verdict.STOP : t >= minT ? Verdict.KEEP : Verdict.SKIP;
    }
  }
}

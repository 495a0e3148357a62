package io.sightline.tracestore.head;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.core.wal.Checkpoint;
import io.sightline.core.wal.Wal;
import io.sightline.core.wal.WalConfig;
import io.sightline.tracestore.SpanAppender;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.SpanRef;
import io.sightline.tracestore.model.TraceAssembler;
import io.sightline.tracestore.model.TraceKey;
import io.sightline.tracestore.wal.WalRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live traces, keyed by trace id, with the WAL that makes them durable.
 *
 * <pre>
 *   live                                           flushing (being written to a block; still read)
 *   ┌──────────────┬────────────────────────────┐  ┌──────────────┬──────────────────┐
 *   │ 4bf9…0e36 ───┼▶ LiveTrace [s1 s2 s7]  8 KB │  │ 0af7…c201 ───┼▶ [s1 … s40]       │
 *   │ 9c01…77aa ───┼▶ LiveTrace [s1]        1 KB │  └──────────────┴──────────────────┘
 *   └──────────────┴────────────────────────────┘
 *      each SpanRef = (SpanGroup shared by the spans of one scope of one append, Span)
 * </pre>
 *
 * A commit appends its records to the WAL and adds its spans under {@code commitLock}, so that the WAL's order is the
 * head's order and a {@link #cut} (which takes the same lock) splits both at one point: every span in the head at the
 * cut is in a WAL segment below the cut's segment, every later span in that segment or after it. The maps themselves
 * are guarded by {@code this}, held only for map updates and copies, never for I/O.
 */
public final class Head implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Head.class);

  /** Decides, on replay, whether a span already lies in a block (written before a crash, after its WAL segment). */
  @FunctionalInterface
  public interface ReplayFilter {
    boolean inBlock(int segment, TraceKey trace);
  }

  /**
   * What a cut took from the head: the traces for the block and, when it is to be checkpointed, what stays
   * ({@code remaining} is null otherwise).
   */
  public record Cut(TreeMap<TraceKey, List<SpanRef>> traces, int walSegment, List<List<SpanRef>> remaining) {}

  private final Path walDir;
  private final Wal wal;
  private final long maxBytesPerTrace;
  private final Object commitLock = new Object();
  private final HashMap<TraceKey, LiveTrace> live = new HashMap<>();
  private final HashMap<TraceKey, LiveTrace> flushing = new HashMap<>();
  private long liveSpans;
  private long flushingSpans;
  /** OTLP bytes of every span in memory, live or being flushed: what {@code max_live_bytes} bounds. */
  private long bytes;
  private volatile int checkpointSegment;

  private final long maxLiveBytes;

  private Head(Path walDir, Wal wal, long maxBytesPerTrace, long maxLiveBytes) {
    this.walDir = walDir;
    this.wal = wal;
    this.maxBytesPerTrace = maxBytesPerTrace;
    this.maxLiveBytes = maxLiveBytes;
  }

  /**
   * Opens the WAL (repairing a torn tail), replays its newest checkpoint and the segments after it into the head,
   * leaving out spans the filter says are in a block.
   */
  public static Head open(Path walDir, WalConfig config, long maxBytesPerTrace, long maxLiveBytes, ReplayFilter filter)
      throws IOException {
    Wal wal = Wal.open(walDir, config);
    Head head = new Head(walDir, wal, maxBytesPerTrace, maxLiveBytes);
    long[] counts = new long[2];
    Checkpoint cp = Checkpoint.latest(walDir);
    int from = 0;
    if (cp != null) {
      head.checkpointSegment = cp.index();
      int segment = cp.index();
      cp.replay((s, record) -> counts[head.replay(WalRecords.decode(record), segment, filter) ? 0 : 1]++);
      from = cp.index() + 1;
    } else {
      head.checkpointSegment = -1;
    }
    Wal.replay(walDir, from, wal.segmentIndex(),
        (s, record) -> counts[head.replay(WalRecords.decode(record), s, filter) ? 0 : 1]++);
    if (counts[0] + counts[1] > 0) {
      log.atInfo().addKeyValue("records", counts[0]).addKeyValue("records_with_spans_in_blocks", counts[1])
          .addKeyValue("spans", head.liveSpans).addKeyValue("traces", head.live.size())
          .log("trace WAL replayed into the head");
    }
    return head;
  }

  /** Adds a replayed record; false if some of its spans were left out as already in a block. */
  private boolean replay(ResourceSpans rs, int segment, ReplayFilter filter) {
    long now = System.nanoTime();
    boolean whole = true;
    synchronized (this) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        SpanGroup group = SpanGroup.of(rs, ss);
        for (Span span : ss.getSpansList()) {
          TraceKey key = TraceKey.of(span.getTraceId());
          if (filter.inBlock(segment, key)) {
            whole = false;
            continue;
          }
          byte[] encoded = span.toByteArray();
          addLocked(key, SpanRef.encoded(group, encoded, span.getStartTimeUnixNano(), span.getEndTimeUnixNano()),
              encoded.length, now);
        }
      }
    }
    return whole;
  }

  public SpanAppender appender() {
    return new HeadAppender(this);
  }

  /** The last WAL segment covered by a checkpoint, -1 if none: blocks cut after it are not yet safe to merge. */
  public int checkpointSegment() {
    return checkpointSegment;
  }

  long maxBytesPerTrace() {
    return maxBytesPerTrace;
  }

  /** The most span bytes the head takes in before appends are refused; 0 is no limit. Replay is never refused. */
  long maxLiveBytes() {
    return maxLiveBytes;
  }

  /** Bytes the head holds for each of {@code keys}, in the same order. */
  synchronized long[] bytesOf(List<TraceKey> keys) {
    long[] out = new long[keys.size()];
    for (int i = 0; i < out.length; i++) {
      LiveTrace t = live.get(keys.get(i));
      out[i] = t == null ? 0 : t.bytes;
    }
    return out;
  }

  /** Writes the batch's records to the WAL, then adds its spans: what {@link SpanAppender#commit()} promises. */
  void commit(List<byte[]> records, List<HeadAppender.Entry> batch) throws IOException {
    synchronized (commitLock) {
      wal.append(records);
      long now = System.nanoTime();
      synchronized (this) {
        for (HeadAppender.Entry e : batch) {
          byte[][] encoded = e.encoded();
          for (int i = 0; i < encoded.length; i++) {
            addLocked(e.keys()[i], SpanRef.encoded(e.group(), encoded[i], e.starts()[i], e.ends()[i]),
                encoded[i].length, now);
          }
        }
      }
    }
  }

  private void addLocked(TraceKey key, SpanRef ref, int size, long now) {
    LiveTrace t = live.get(key);
    if (t == null) {
      t = new LiveTrace(now);
      live.put(key, t);
    }
    t.add(ref, size, now);
    liveSpans++;
    bytes += size;
  }

  /** The spans of a trace in the head (live and being flushed); empty when none. */
  public synchronized List<SpanRef> get(TraceKey key) {
    LiveTrace t = live.get(key);
    LiveTrace f = flushing.get(key);
    if (t == null && f == null) {
      return List.of();
    }
    List<SpanRef> out = new ArrayList<>((t == null ? 0 : t.spans.size()) + (f == null ? 0 : f.spans.size()));
    if (t != null) {
      out.addAll(t.spans);
    }
    if (f != null) {
      out.addAll(f.spans);
    }
    return out;
  }

  /** One trace of the head at the moment of a snapshot. */
  public record TraceSnapshot(TraceKey key, List<SpanRef> spans, long minStart, long maxEnd) {}

  /** A copy of every trace in the head (a trace both live and being flushed appears twice). */
  public synchronized List<TraceSnapshot> snapshot() {
    List<TraceSnapshot> out = new ArrayList<>(live.size() + flushing.size());
    for (Map<TraceKey, LiveTrace> m : List.of(live, flushing)) {
      m.forEach((k, t) -> out.add(new TraceSnapshot(k, List.copyOf(t.spans), t.minStart, t.maxEnd)));
    }
    return out;
  }

  /** OTLP bytes of the spans in memory. */
  public synchronized long bytes() {
    return bytes;
  }

  public synchronized long spanCount() {
    return liveSpans + flushingSpans;
  }

  public synchronized long traceCount() {
    return live.size() + flushing.size();
  }

  /**
   * Whether a block should be cut now: the complete traces (idle, or live for too long) hold {@code maxBlockBytes}, or
   * the first of them completed {@code maxBlockDurationNanos} ago.
   */
  public synchronized boolean blockDue(long now, long idleNanos, long liveNanos, long maxBlockDurationNanos,
      long maxBlockBytes) {
    long bytes = 0;
    long firstComplete = Long.MAX_VALUE;
    for (LiveTrace t : live.values()) {
      long completed = completedAt(t, idleNanos, liveNanos);
      if (completed - now <= 0) {
        bytes += t.bytes;
        firstComplete = Math.min(firstComplete, completed);
      }
    }
    return bytes >= maxBlockBytes || firstComplete != Long.MAX_VALUE && now - firstComplete >= maxBlockDurationNanos;
  }

  private static long completedAt(LiveTrace t, long idleNanos, long liveNanos) {
    long idle = t.lastAppendNanos + idleNanos;
    long old = t.firstAppendNanos + liveNanos;
    return idle - old < 0 ? idle : old;
  }

  /**
   * Takes the complete traces (or, with {@code all}, every trace) out of the live map into the flushing map, cuts the
   * WAL and copies what stays: all under the commit lock, so that no commit falls between the three.
   */
  public Cut cut(long now, long idleNanos, long liveNanos, boolean all) throws IOException {
    return cut(now, idleNanos, liveNanos, all, true);
  }

  /**
   * As {@link #cut(long, long, long, boolean)}; without {@code keepRemaining} what stays in the head is not copied,
   * and the cut cannot be checkpointed: most cuts are not, as a checkpoint rewrites every span still in the head.
   */
  public Cut cut(long now, long idleNanos, long liveNanos, boolean all, boolean keepRemaining) throws IOException {
    synchronized (commitLock) {
      TreeMap<TraceKey, List<SpanRef>> taken = new TreeMap<>();
      List<List<SpanRef>> remaining = keepRemaining ? new ArrayList<>() : null;
      synchronized (this) {
        for (Iterator<Map.Entry<TraceKey, LiveTrace>> it = live.entrySet().iterator(); it.hasNext(); ) {
          Map.Entry<TraceKey, LiveTrace> e = it.next();
          LiveTrace t = e.getValue();
          if (all || completedAt(t, idleNanos, liveNanos) - now <= 0) {
            it.remove();
            liveSpans -= t.spans.size();
            LiveTrace previous = flushing.put(e.getKey(), t);
            if (previous != null) {
              throw new IllegalStateException("a trace is being flushed twice at once");
            }
            flushingSpans += t.spans.size();
            taken.put(e.getKey(), t.spans);
          } else if (keepRemaining) {
            remaining.add(List.copyOf(t.spans));
          }
        }
      }
      int segment = wal.cut();
      return new Cut(taken, segment, remaining);
    }
  }

  /** Ends a cut: its traces leave the head once their block is published, or go back to the live map if not. */
  public synchronized void finishCut(Cut cut, boolean published) {
    for (TraceKey key : cut.traces().keySet()) {
      LiveTrace t = flushing.remove(key);
      flushingSpans -= t.spans.size();
      if (published) {
        bytes -= t.bytes;
      }
      if (!published) {
        LiveTrace now = live.get(key);
        if (now != null) {
          // Spans that came in meanwhile: keep the older part in front; the appender times stay the newer ones.
          t.spans.addAll(now.spans);
          t.bytes += now.bytes;
          t.lastAppendNanos = now.lastAppendNanos;
          t.minStart = Math.min(t.minStart, now.minStart);
          t.maxEnd = Math.max(t.maxEnd, now.maxEnd);
          liveSpans -= now.spans.size();
        }
        live.put(key, t);
        liveSpans += t.spans.size();
      }
    }
  }

  /**
   * Writes the checkpoint of a published cut: the spans that stayed in the head, so that the WAL segments below the
   * cut can go. Spans committed after the cut are in those later segments.
   */
  public void checkpoint(Cut cut) throws IOException {
    if (cut.remaining() == null) {
      throw new IllegalArgumentException("a cut made without what stays in the head cannot be checkpointed");
    }
    int index = cut.walSegment() - 1;
    Checkpoint.create(walDir, index, out -> {
      List<byte[]> records = new ArrayList<>();
      for (List<SpanRef> spans : cut.remaining()) {
        TraceAssembler a = new TraceAssembler();
        a.addAll(spans);
        for (ResourceSpans rs : a.build().getResourceSpansList()) {
          records.add(WalRecords.encode(rs));
        }
        if (records.size() >= 256) {
          out.append(records);
          records.clear();
        }
      }
      out.append(records);
    });
    wal.deleteSegmentsBefore(cut.walSegment());
    checkpointSegment = index;
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }
}

package io.sightline.logstore.stream;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.fs.Directories;
import io.sightline.core.model.Labels;
import io.sightline.core.wal.Checkpoint;
import io.sightline.core.wal.Wal;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogStoreConfig;
import io.sightline.logstore.wal.WalRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams in memory, with the WAL that makes them durable.
 *
 * <pre>
 *   streams                                         per stream (guarded by the stream)
 *   ┌─────────────────────────────┬──────────┐     sealed: [chunk 4 MiB, sorted] [chunk 1 MiB, sorted]  ─▶ next block
 *   │ {app="api", env="prod"}  ───┼▶ stream ─┼──▶  open:   chunk (insertion order, duplicate index)
 *   │ {app="db"}               ───┼▶ stream  │     newest entry time, last append
 *   └─────────────────────────────┴──────────┘
 * </pre>
 *
 * A commit appends its records to the WAL and inserts its entries under {@code commitLock}, so that the WAL's order is
 * the head's order, and a {@link #takeFlush} (same lock) splits both at one point: every entry in the head then is in
 * a WAL segment below the flush's segment, every later one at or after it.
 */
public final class Head implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Head.class);

  /** Decides on replay whether an entry already lies in a block written after its WAL segment (before a crash). */
  @FunctionalInterface
  public interface ReplayFilter {
    boolean inBlock(int segment, Labels stream, long ts, byte[] b, int off, int len);
  }

  private final Path walDir;
  private final Wal wal;
  private final LogStoreConfig config;
  private final Object commitLock = new Object();
  private final ConcurrentHashMap<Labels, MemStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong chunkSeq = new AtomicLong();
  /** Line and metadata bytes in memory, open and sealed: what {@code max_head_bytes} bounds. */
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile int checkpointSegment = -1;
  /** Asks the upkeep for a round now (set by the store); see {@link #whenFlushWanted}. */
  private volatile Runnable flushWanted = () -> { };
  private volatile long flushWantedBytes = Long.MAX_VALUE;
  /** Bytes of chunks sealed full since the upkeep was last asked; guarded by the commit lock. */
  private long sealedSinceAsked;

  private Head(Path walDir, Wal wal, LogStoreConfig config) {
    this.walDir = walDir;
    this.wal = wal;
    this.config = config;
  }

  /**
   * Opens the WAL (repairing a torn tail), replays its newest checkpoint and the segments after it into the head,
   * leaving out entries the filter finds in blocks.
   */
  public static Head open(Path walDir, LogStoreConfig config, ReplayFilter filter) throws IOException {
    Wal wal = Wal.open(walDir, config.wal());
    Head head = new Head(walDir, wal, config);
    long[] counts = new long[2];
    Checkpoint cp = Checkpoint.latest(walDir);
    int from = 0;
    if (cp != null) {
      head.checkpointSegment = cp.index();
      int segment = cp.index();
      cp.replay((s, record) -> head.replay(segment, record, filter, counts));
      from = cp.index() + 1;
    }
    Wal.replay(walDir, from, wal.segmentIndex(), (s, record) -> head.replay(s, record, filter, counts));
    if (counts[0] + counts[1] > 0) {
      log.atInfo().addKeyValue("entries", counts[0]).addKeyValue("entries_in_blocks", counts[1])
          .addKeyValue("streams", head.streams.size()).log("log WAL replayed into the head");
    }
    return head;
  }

  private void replay(int segment, byte[] record, ReplayFilter filter, long[] counts) throws IOException {
    DecodeBuffer in = new DecodeBuffer(record);
    Labels labels;
    try {
      labels = WalRecords.readStream(in);
    } catch (IllegalArgumentException e) {
      throw new IOException("log WAL record in segment " + segment + " does not parse: " + e.getMessage(), e);
    }
    long now = System.nanoTime();
    MemStream s = streams.computeIfAbsent(labels, l -> new MemStream(l, now));
    synchronized (s) {
      try {
        WalRecords.readEntries(record, in, (ts, b, off, len, meta) -> {
          if (filter.inBlock(segment, labels, ts, b, off, len)) {
            counts[1]++;
          } else {
            counts[0]++;
            long n = insert(s, ts, b, off, len, meta, now);
            if (n >= 0) {
              entries.incrementAndGet();
              bytes.addAndGet(n);
            }
          }
        });
      } catch (IllegalArgumentException e) {
        throw new IOException("log WAL record in segment " + segment + " does not parse: " + e.getMessage(), e);
      }
    }
  }

  public LogAppender appender() {
    return new HeadAppender(this);
  }

  LogStoreConfig config() {
    return config;
  }

  MemStream stream(Labels labels) {
    return streams.get(labels);
  }

  public int streamCount() {
    return streams.size();
  }

  public long bytes() {
    return bytes.get();
  }

  public long entryCount() {
    return entries.get();
  }

  public long storedCount() {
    return stored.get();
  }

  public long refusedCount() {
    return refused.get();
  }

  void countRefused(int n) {
    refused.addAndGet(n);
  }

  /** The last WAL segment a checkpoint covers, -1 if none. */
  public int checkpointSegment() {
    return checkpointSegment;
  }

  /**
   * Runs {@code wanted} (quickly, without blocking: it hands work to the upkeep) once commits have sealed
   * {@code sealedBytes} of full chunks since it last ran, or when the head is three quarters full, so that a busy head
   * is written out as soon as there is a block's worth rather than at the next upkeep tick.
   */
  public void whenFlushWanted(long sealedBytes, Runnable wanted) {
    flushWantedBytes = sealedBytes;
    flushWanted = wanted;
  }

  /** Writes the batch's records to the WAL, then inserts its entries: what {@link LogAppender#commit()} promises. */
  void commit(List<byte[]> records, List<HeadAppender.Pending> batch) throws IOException {
    synchronized (commitLock) {
      wal.append(records);
      long now = System.nanoTime();
      long added = 0;
      long size = 0;
      for (HeadAppender.Pending p : batch) {
        MemStream s = streams.computeIfAbsent(p.labels(), l -> new MemStream(l, now));
        synchronized (s) {
          for (int i = p.from(); i < p.to(); i++) {
            long n = insert(s, p.ts()[i], p.record(), p.lineAt()[i], p.lineLength()[i], p.meta()[i], now);
            if (n >= 0) {
              added++;
              size += n;
            }
          }
        }
      }
      stored.addAndGet(added);
      entries.addAndGet(added);
      long inHead = bytes.addAndGet(size);
      long max = config.maxHeadBytes();
      if (sealedSinceAsked >= flushWantedBytes || max > 0 && inHead >= max / 4 * 3) {
        sealedSinceAsked = 0;
        flushWanted.run();
      }
    }
  }

  /**
   * Adds one entry to a stream (held by the caller), dropping an exact duplicate and cutting a full chunk; returns the
   * bytes it adds to the head, or -1 for a duplicate. The caller adds them to the counts.
   */
  private long insert(MemStream s, long ts, byte[] b, int off, int len, Labels meta, long now) {
    if (s.isDuplicate(ts, b, off, len)) {
      return -1;
    }
    if (s.open == null) {
      s.open = new HeadChunk(chunkSeq.incrementAndGet(), s.nextChunkEntries, Math.max(len, s.nextChunkBytes));
    }
    long size = entrySize(len, meta);
    s.open.add(ts, b, off, len, meta, size);
    s.newestTs = Math.max(s.newestTs, ts);
    s.lastAppendNanos = now;
    if (s.open.rawBytes() >= config.chunkTargetBytes()) {
      // A full chunk: the stream is busy, its next chunk will be as big (an eighth more for the variation).
      s.nextChunkEntries = s.open.count() + s.open.count() / 8;
      s.nextChunkBytes = (int) Math.min(Integer.MAX_VALUE - 64, s.open.lineBytes() + s.open.lineBytes() / 8L);
      sealedSinceAsked += s.open.rawBytes();
      seal(s);
    }
    return size;
  }

  /** What an entry counts for chunk sizes and the head limit: its line and metadata bytes, as Loki counts them. */
  static long entrySize(int lineLength, Labels meta) {
    long n = lineLength;
    for (int i = 0; i < meta.size(); i++) {
      n += meta.name(i).length() + meta.value(i).length();
    }
    return n;
  }

  private static void seal(MemStream s) {
    s.sealed.add(s.open.seal());
    s.open = null;
  }

  /** Cuts the open chunks that are due: too old (by their entries' times) or idle. */
  public int cutDue(long now) {
    long maxAge = config.maxChunkAge().toNanos();
    long idle = config.chunkIdlePeriod().toNanos();
    int cut = 0;
    for (MemStream s : streams.values()) {
      synchronized (s) {
        HeadChunk c = s.open;
        if (c != null && (c.maxTs() - c.minTs() >= maxAge || now - s.lastAppendNanos >= idle)) {
          seal(s);
          cut++;
        }
      }
    }
    return cut;
  }

  /** Line and metadata bytes of the sealed chunks: what the next block would hold. */
  public long sealedBytes() {
    long n = 0;
    for (MemStream s : streams.values()) {
      synchronized (s) {
        for (HeadChunk c : s.sealed) {
          n += c.rawBytes();
        }
      }
    }
    return n;
  }

  /** A sealed chunk taken for a block, with its stream. */
  public record Taken(Labels labels, MemStream stream, HeadChunk chunk) {
    public HeadChunk.View view() {
      return chunk.view();
    }
  }

  /** An open chunk as it was at a flush: what a checkpoint keeps. */
  public record Remaining(Labels labels, HeadChunk.View view) {}

  /**
   * What a flush takes: the sealed chunks for a block, the WAL segment that starts after them and, when the flush is
   * to be checkpointed, the open chunks as they were.
   */
  public record Flush(List<Taken> taken, int walSegment, List<Remaining> remaining) {}

  /**
   * Takes every sealed chunk (with {@code all}, after sealing every open one) and cuts the WAL, under the commit lock
   * so that no commit falls in between.
   */
  public Flush takeFlush(boolean all, boolean keepRemaining) throws IOException {
    synchronized (commitLock) {
      List<Taken> taken = new ArrayList<>();
      List<Remaining> remaining = keepRemaining ? new ArrayList<>() : null;
      for (MemStream s : streams.values()) {
        synchronized (s) {
          if (all && s.open != null) {
            seal(s);
          }
          for (HeadChunk c : s.sealed) {
            taken.add(new Taken(s.labels, s, c));
          }
          if (keepRemaining && s.open != null) {
            remaining.add(new Remaining(s.labels, s.open.view()));
          }
        }
      }
      int segment = wal.cut();
      return new Flush(taken, segment, remaining);
    }
  }

  /** Drops the flushed chunks from the head once their block is published (the caller holds the read barrier). */
  public void finishFlush(Flush flush) {
    for (Taken t : flush.taken()) {
      synchronized (t.stream()) {
        if (t.stream().sealed.remove(t.chunk())) {
          bytes.addAndGet(-t.chunk().rawBytes());
          entries.addAndGet(-t.chunk().count());
        }
      }
    }
  }

  /** Removes streams without chunks that have been idle for the chunk idle period: they count as active no more. */
  public void dropIdleStreams(long now) {
    long idle = config.chunkIdlePeriod().toNanos();
    synchronized (commitLock) {
      for (Iterator<MemStream> it = streams.values().iterator(); it.hasNext(); ) {
        MemStream s = it.next();
        synchronized (s) {
          if (s.isEmpty() && now - s.lastAppendNanos >= idle) {
            it.remove();
          }
        }
      }
    }
  }

  /**
   * Writes the checkpoint of a published flush: the open chunks as they were, so that the WAL segments below the
   * flush can go. Entries committed after the flush are in those later segments.
   */
  public void checkpoint(Flush flush) throws IOException {
    if (flush.remaining() == null) {
      throw new IllegalArgumentException("a flush made without the open chunks cannot be checkpointed");
    }
    int index = flush.walSegment() - 1;
    Checkpoint.create(walDir, index, out -> {
      List<byte[]> records = new ArrayList<>();
      long pending = 0;
      for (Remaining r : flush.remaining()) {
        HeadChunk.View v = r.view();
        WalRecords.Writer w = null;
        for (int i = 0; i < v.count(); i++) {
          if (w == null) {
            w = new WalRecords.Writer(r.labels(), (int) Math.min(v.rawBytes(), 1 << 20));
          }
          int start = v.lineStart(i);
          w.add(v.ts()[i], Arrays.copyOfRange(v.lines(), start, v.lineEnd()[i]), v.meta()[i]);
          if (w.size() >= 1 << 20) {
            pending += w.size();
            records.add(w.toByteArray());
            w = null;
          }
        }
        if (w != null) {
          pending += w.size();
          records.add(w.toByteArray());
        }
        if (pending >= 8 << 20) {
          out.append(records);
          records.clear();
          pending = 0;
        }
      }
      out.append(records);
    });
    wal.deleteSegmentsBefore(flush.walSegment());
    checkpointSegment = index;
  }

  /** Bytes of WAL segments on disk (checkpoint included). */
  public long walBytes() throws IOException {
    return Directories.size(walDir);
  }

  /** One stream of the head as a query sees it. */
  public record StreamSnapshot(Labels labels, List<HeadChunk.View> chunks) {}

  /** The chunks (sealed first, then open) of the streams whose labels pass {@code selected}. */
  public List<StreamSnapshot> snapshot(Predicate<Labels> selected) {
    List<StreamSnapshot> out = new ArrayList<>();
    for (MemStream s : streams.values()) {
      if (!selected.test(s.labels)) {
        continue;
      }
      List<HeadChunk.View> views = new ArrayList<>(2);
      synchronized (s) {
        for (HeadChunk c : s.sealed) {
          views.add(c.view());
        }
        if (s.open != null) {
          views.add(s.open.view());
        }
      }
      if (!views.isEmpty()) {
        out.add(new StreamSnapshot(s.labels, views));
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }
}

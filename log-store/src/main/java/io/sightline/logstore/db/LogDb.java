package io.sightline.logstore.db;

import io.sightline.core.fs.BlockDirectory;
import io.sightline.core.fs.SizeRetention;
import io.sightline.core.model.Labels;
import io.sightline.core.wal.Checkpoint;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogQuerier;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.LogStoreConfig;
import io.sightline.logstore.LogStoreStats;
import io.sightline.logstore.block.Block;
import io.sightline.logstore.block.BlockMerger;
import io.sightline.logstore.block.BlockWriter;
import io.sightline.logstore.block.ChunkRef;
import io.sightline.logstore.block.CorruptBlockException;
import io.sightline.logstore.block.FileNames;
import io.sightline.logstore.chunk.DecodedChunk;
import io.sightline.logstore.filter.LongHashSet;
import io.sightline.logstore.filter.Mixing;
import io.sightline.logstore.stream.Head;
import io.sightline.logstore.stream.HeadChunk;
import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log store: the head and the blocks under {@code dir}.
 *
 * <pre>
 *   dir/
 *   ├── wal/                         the head's WAL (core.wal) and its newest checkpoint
 *   └── blocks/
 *       ├── 01JD…X4.block            chunks of many streams, their token filters, the index
 *       ├── 01JD…Z2.tmp              unfinished: deleted on open
 *       └── 01JC…K2.block.corrupted  failed its checks on open: set aside, not read
 *
 *   commit ─▶ WAL ─▶ head (open chunk per stream) ─full/old/idle─▶ sealed chunks ─flush─▶ block ─merge─▶ block
 *           (and now and then a checkpoint of the open chunks, after which older WAL segments go)
 * </pre>
 *
 * A query takes its view of the head and the list of blocks under the read side of {@code state}; a flush publishes
 * its block and drops the flushed chunks from the head under the write side, so that a query sees every entry exactly
 * once.
 */
public final class LogDb implements LogStore {
  private static final Logger log = LoggerFactory.getLogger(LogDb.class);

  /**
   * A checkpoint rewrites every open chunk, so it is not written at every flush; at least this often, or sooner when
   * the WAL has grown well past what the head holds (then a checkpoint frees more than it writes).
   */
  static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(1);
  /** Sealed chunks are written out once they hold this much, or {@link #FLUSH_INTERVAL} passed: fewer blocks. */
  static final long FLUSH_BYTES = 64L << 20;
  static final Duration FLUSH_INTERVAL = Duration.ofSeconds(30);
  /**
   * Runs of at least this many consecutive blocks are merged (chunks copied, not recompressed), so that a store fed
   * slowly for weeks holds hundreds of blocks, not tens of thousands of open files.
   */
  static final int MERGE_MIN_BLOCKS = 4;
  /** A merge stops before its block passes this size, so that retention by size keeps a fine grain. */
  static final long MERGE_MAX_BYTES = 512L << 20;
  /** ... or before it spans more than a day of entries, so that retention by time does too. */
  static final long MERGE_MAX_SPAN_NANOS = Duration.ofDays(1).toNanos();

  private final Path dir;
  private final Path blocksDir;
  private final LogStoreConfig config;
  private final Head head;
  /** Sorted by origin (the order entries were stored in); replaced whole, so a read keeps the list it started with. */
  private volatile List<Block> blocks;
  final ReentrantReadWriteLock state = new ReentrantReadWriteLock();
  private final ScheduledExecutorService upkeep;
  private final AtomicBoolean roundAsked = new AtomicBoolean();
  private final Object maintenanceLock = new Object();
  /** How long sealed chunks may wait for a block; tests shorten it. */
  volatile long flushIntervalNanos = FLUSH_INTERVAL.toNanos();
  private long lastCheckpointNanos = System.nanoTime();
  private long lastFlushNanos = System.nanoTime();
  private long walBytesAfterCheckpoint;
  private boolean closed;

  private LogDb(Path dir, LogStoreConfig config, Head head, List<Block> blocks) {
    this.dir = dir;
    this.blocksDir = dir.resolve(FileNames.BLOCKS_DIR);
    this.config = config;
    this.head = head;
    this.blocks = sorted(blocks);
    this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "log-store-upkeep");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens the store: deletes unfinished blocks, sets damaged ones aside (with an error log), opens the rest, replays
   * the WAL into the head (leaving out entries that blocks written just before a crash already hold), then starts the
   * background upkeep.
   */
  public static LogDb open(Path dir, LogStoreConfig config) throws IOException {
    Path blocksDir = dir.resolve(FileNames.BLOCKS_DIR);
    Path walDir = dir.resolve(FileNames.WAL_DIR);
    List<Block> blocks = BlockDirectory.open(blocksDir, FileNames.TMP_SUFFIX,
        p -> p.getFileName().toString().endsWith(FileNames.BLOCK_SUFFIX), Block::open, CorruptBlockException.class,
        "log", log);
    // Blocks written after the newest checkpoint: the WAL still holds their entries, which replay leaves out.
    Checkpoint cp = Checkpoint.latest(walDir);
    int covered = cp == null ? 0 : cp.index() + 1;
    List<Block> ahead = new ArrayList<>();
    List<Map<Labels, LongHashSet>> aheadEntries = new ArrayList<>();
    for (Block b : sorted(blocks)) {
      if (b.walSegment() > covered) {
        ahead.add(b);
        aheadEntries.add(entryKeys(b));
      }
    }
    Head head = Head.open(walDir, config, (segment, stream, ts, bytes, off, len) -> {
      for (int i = 0; i < ahead.size(); i++) {
        if (segment < ahead.get(i).walSegment()) {
          LongHashSet keys = aheadEntries.get(i).get(stream);
          if (keys != null && keys.contains(entryKey(ts, bytes, off, len))) {
            return true;
          }
        }
      }
      return false;
    });
    LogDb db = new LogDb(dir, config, head, blocks);
    if (!ahead.isEmpty()) {
      // Checkpoint the head as replayed, so that the segments those blocks came from go before anything else.
      try {
        synchronized (db.maintenanceLock) {
          db.flush(false, true);
        }
      } catch (IOException | RuntimeException e) {
        db.closeWithoutFlush();
        throw e;
      }
    }
    long every = config.upkeepInterval().toMillis();
    db.upkeep.scheduleWithFixedDelay(db::maintainQuietly, every, every, TimeUnit.MILLISECONDS);
    long max = config.maxHeadBytes();
    head.whenFlushWanted(max > 0 ? Math.min(FLUSH_BYTES, max / 4) : FLUSH_BYTES, db::maintainSoon);
    return db;
  }

  /** Every entry of a block, per stream, as (time, line) keys: what replay compares the WAL's entries with. */
  private static Map<Labels, LongHashSet> entryKeys(Block b) throws IOException {
    Map<Labels, LongHashSet> out = new HashMap<>();
    for (int s = 0; s < b.streamCount(); s++) {
      LongHashSet keys = new LongHashSet(64);
      for (ChunkRef ref : b.chunks(s)) {
        byte[] stored = b.readChunk(ref);
        DecodedChunk c;
        try {
          c = DecodedChunk.decode(stored, 0, stored.length);
        } catch (IllegalArgumentException e) {
          log.atError().addKeyValue("block", b.id()).addKeyValue("problem", e.getMessage())
              .log("damaged log chunk: its entries are replayed from the WAL");
          continue;
        }
        for (int i = 0; i < c.count(); i++) {
          keys.add(entryKey(c.timestamp(i), c.raw(), c.lineStart(i), c.lineLength(i)));
        }
      }
      out.put(b.labels(s), keys);
    }
    return out;
  }

  private static long entryKey(long ts, byte[] b, int off, int len) {
    return Mixing.hash(b, off, len, Mixing.mix(ts));
  }

  private static List<Block> sorted(Collection<Block> blocks) {
    List<Block> out = new ArrayList<>(blocks);
    out.sort(Comparator.comparing(Block::origin).thenComparing(Block::id));
    return List.copyOf(out);
  }

  @Override
  public LogAppender appender() {
    return head.appender();
  }

  @Override
  public LogQuerier querier() {
    return new LogDbQuerier(this);
  }

  Head head() {
    return head;
  }

  /** The blocks, oldest first. */
  public List<Block> blocks() {
    return blocks;
  }

  /** The current blocks, each acquired (the caller releases them). */
  List<Block> acquireBlocks() {
    while (true) {
      List<Block> current = blocks;
      List<Block> acquired = new ArrayList<>(current.size());
      boolean all = true;
      for (Block b : current) {
        if (b.acquire()) {
          acquired.add(b);
        } else {
          all = false;
          break;
        }
      }
      if (all) {
        return acquired;
      }
      // retention retired one meanwhile: the newer list lacks it
      acquired.forEach(Block::release);
    }
  }

  @Override
  public LogStoreStats stats() {
    List<Block> current = blocks;
    long chunks = 0;
    long bytes = 0;
    for (Block b : current) {
      chunks += b.chunkCount();
      bytes += b.sizeBytes();
    }
    try {
      bytes += head.walBytes();
    } catch (IOException e) {
      log.atDebug().setCause(e).log("WAL size not available");
    }
    return new LogStoreStats(head.streamCount(), head.entryCount(), chunks, bytes, head.storedCount(),
        head.refusedCount());
  }

  // ---- upkeep ----

  /** One upkeep round as soon as the upkeep thread is free; at most one is waiting at a time. */
  private void maintainSoon() {
    if (roundAsked.compareAndSet(false, true)) {
      try {
        upkeep.execute(() -> {
          roundAsked.set(false);
          maintainQuietly();
        });
      } catch (RejectedExecutionException e) {
        roundAsked.set(false); // closing
      }
    }
  }

  private void maintainQuietly() {
    try {
      maintain();
    } catch (Exception | Error e) {
      log.atError().setCause(e).log("log store upkeep failed; it will be tried again");
    }
  }

  /** One round of upkeep, now: cut due chunks, write a block if one is due, apply retention, forget idle streams. */
  public void maintain() throws IOException {
    synchronized (maintenanceLock) {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      head.cutDue(now);
      long max = config.maxHeadBytes();
      boolean pressed = max > 0 && head.bytes() >= max / 4 * 3;
      long sealed = head.sealedBytes();
      long flushBytes = max > 0 ? Math.min(FLUSH_BYTES, max / 4) : FLUSH_BYTES;
      if (pressed || sealed >= flushBytes || sealed > 0 && now - lastFlushNanos >= flushIntervalNanos) {
        flush(pressed, checkpointDue(now));
      } else if (checkpointDue(now)) {
        flush(false, true);
      }
      applyRetention();
      compact();
      head.dropIdleStreams(now);
    }
  }

  /**
   * Whether a checkpoint would pay: the interval has passed and the WAL has grown since the last one, or the WAL holds
   * well over what the head does (a checkpoint writes the head's open chunks and frees the rest). At 50 MB/s into a
   * full 256 MiB head that is a checkpoint every 25 s or so, rewriting at most a fifth of what came in.
   */
  private boolean checkpointDue(long now) throws IOException {
    long wal = head.walBytes();
    return now - lastCheckpointNanos >= CHECKPOINT_INTERVAL.toNanos() && wal > walBytesAfterCheckpoint + (1 << 20)
        || wal >= 4 * head.bytes() + (256L << 20);
  }

  /**
   * Writes the sealed chunks (with {@code all}, every chunk of the head) to a block now, and checkpoints the WAL. For
   * tests and for shutdown.
   */
  public void flush(boolean all) throws IOException {
    synchronized (maintenanceLock) {
      flush(all, true);
    }
  }

  /** For crash tests: writes a block without checkpointing, as a crash right after the block would leave it. */
  void flushWithoutCheckpoint(boolean all) throws IOException {
    synchronized (maintenanceLock) {
      flush(all, false);
    }
  }

  private void flush(boolean all, boolean checkpoint) throws IOException {
    long began = System.nanoTime();
    Head.Flush flush = head.takeFlush(all, checkpoint);
    lastFlushNanos = began;
    if (!flush.taken().isEmpty()) {
      TreeMap<Labels, List<HeadChunk>> byStream = new TreeMap<>();
      for (Head.Taken t : flush.taken()) {
        byStream.computeIfAbsent(t.labels(), k -> new ArrayList<>()).add(t.chunk());
      }
      BlockWriter writer = BlockWriter.create(blocksDir, flush.walSegment());
      Block block;
      long entries = 0;
      try {
        for (Map.Entry<Labels, List<HeadChunk>> e : byStream.entrySet()) {
          writer.startStream(e.getKey());
          List<HeadChunk> chunks = e.getValue();
          chunks.sort(Comparator.comparingLong(HeadChunk::seq));
          for (HeadChunk c : chunks) {
            HeadChunk.View v = c.view();
            writer.addChunk(v.ts(), v.lines(), v.lineEnd(), v.meta(), v.count(), v.rawBytes());
            entries += v.count();
          }
        }
        block = Block.open(writer.finish());
      } catch (IOException | RuntimeException e) {
        writer.abort();
        throw e;
      }
      state.writeLock().lock();
      try {
        List<Block> next = new ArrayList<>(blocks);
        next.add(block);
        blocks = sorted(next);
        head.finishFlush(flush);
      } finally {
        state.writeLock().unlock();
      }
      log.atInfo().addKeyValue("block", block.id()).addKeyValue("streams", block.streamCount())
          .addKeyValue("chunks", block.chunkCount()).addKeyValue("entries", entries)
          .addKeyValue("bytes", block.sizeBytes()).addKeyValue("duration_ms", (System.nanoTime() - began) / 1_000_000)
          .log("log block written from the head");
    }
    if (checkpoint) {
      head.checkpoint(flush);
      lastCheckpointNanos = System.nanoTime();
      walBytesAfterCheckpoint = head.walBytes();
    }
  }

  /** Merges runs of small consecutive blocks, one run per round. */
  void compact() throws IOException {
    // Only blocks a checkpoint covers: replay tells the others' entries apart by their block's WAL segment.
    int covered = head.checkpointSegment() + 1;
    List<Block> current = blocks;
    List<Block> run = new ArrayList<>();
    long size = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Block b : current) {
      boolean fits = b.walSegment() <= covered && size + b.sizeBytes() <= MERGE_MAX_BYTES
          && Math.max(max, b.maxTs()) - Math.min(min, b.minTs()) <= MERGE_MAX_SPAN_NANOS;
      if (!fits) {
        if (run.size() >= MERGE_MIN_BLOCKS) {
          break;
        }
        run.clear();
        size = 0;
        min = Long.MAX_VALUE;
        max = Long.MIN_VALUE;
        if (b.walSegment() > covered || b.sizeBytes() > MERGE_MAX_BYTES) {
          continue;
        }
      }
      run.add(b);
      size += b.sizeBytes();
      min = Math.min(min, b.minTs());
      max = Math.max(max, b.maxTs());
    }
    if (run.size() < MERGE_MIN_BLOCKS) {
      return;
    }
    long began = System.nanoTime();
    List<Block> acquired = new ArrayList<>();
    for (Block b : run) {
      if (!b.acquire()) {
        acquired.forEach(Block::release);
        return; // retired meanwhile
      }
      acquired.add(b);
    }
    Block merged;
    try {
      Path file = BlockMerger.merge(blocksDir, run);
      merged = file == null ? null : Block.open(file);
    } finally {
      acquired.forEach(Block::release);
    }
    state.writeLock().lock();
    try {
      List<Block> next = new ArrayList<>(blocks);
      next.removeAll(run);
      if (merged != null) {
        next.add(merged);
      }
      blocks = sorted(next);
    } finally {
      state.writeLock().unlock();
    }
    for (Block b : run) {
      b.retire();
      Files.deleteIfExists(b.file());
    }
    log.atInfo().addKeyValue("block", merged == null ? "none" : merged.id()).addKeyValue("sources", run.size())
        .addKeyValue("chunks", merged == null ? 0 : merged.chunkCount())
        .addKeyValue("duration_ms", (System.nanoTime() - began) / 1_000_000).log("log blocks merged");
  }

  private void applyRetention() throws IOException {
    List<Block> current = blocks;
    if (current.isEmpty()) {
      return;
    }
    List<Block> expired = new ArrayList<>();
    if (!config.retention().isZero()) {
      long cutoff = System.currentTimeMillis() * 1_000_000L - config.retention().toNanos();
      for (Block b : current) {
        if (b.maxTs() < cutoff) {
          expired.add(b);
        }
      }
    }
    if (config.retentionBytes() > 0) {
      List<Block> oldestFirst = new ArrayList<>(current);
      oldestFirst.sort(Comparator.comparingLong(Block::maxTs).thenComparing(Block::id));
      SizeRetention.expireOldest(oldestFirst, Block::sizeBytes, head.walBytes(), config.retentionBytes(), expired);
    }
    if (expired.isEmpty()) {
      return;
    }
    state.writeLock().lock();
    try {
      List<Block> next = new ArrayList<>(blocks);
      next.removeAll(expired);
      blocks = List.copyOf(next);
    } finally {
      state.writeLock().unlock();
    }
    for (Block b : expired) {
      b.retire();
      Files.deleteIfExists(b.file());
      log.atInfo().addKeyValue("block", b.id()).addKeyValue("max_ts", b.maxTs())
          .log("log block deleted by retention");
    }
  }

  @Override
  public void close() throws IOException {
    upkeep.shutdown();
    try {
      if (!upkeep.awaitTermination(1, TimeUnit.MINUTES)) {
        log.atWarn().log("log store upkeep did not stop within a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (maintenanceLock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        flush(true, true);
      } finally {
        head.close();
        for (Block b : blocks) {
          b.retire();
        }
      }
    }
  }

  /** For crash tests: stops the upkeep and closes the WAL without flushing the head, as a killed process would. */
  void closeWithoutFlush() throws IOException {
    upkeep.shutdownNow();
    synchronized (maintenanceLock) {
      closed = true;
      head.close();
      for (Block b : blocks) {
        b.retire();
      }
    }
  }

  Path dir() {
    return dir;
  }

}

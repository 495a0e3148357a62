package io.sightline.metricstore.db;

import io.sightline.core.fs.Directories;
import io.sightline.core.fs.SizeRetention;
import io.sightline.core.model.Labels;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.StoreStats;
import io.sightline.metricstore.block.Block;
import io.sightline.metricstore.block.BlockMeta;
import io.sightline.metricstore.block.BlockWriter;
import io.sightline.metricstore.block.ChunkRecoder;
import io.sightline.metricstore.block.CorruptBlockException;
import io.sightline.metricstore.block.Ulid;
import io.sightline.metricstore.head.Head;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metric store: the head and the blocks under {@code dir}.
 *
 * <pre>
 *   dir/
 *   ├── wal/                 the head's WAL and its newest checkpoint
 *   └── blocks/
 *       ├── 01JD…X4/         [0h, 2h)   level 1, cut from the head
 *       ├── 01JD…Q9/         [2h, 8h)   level 2, merged from three
 *       └── 01JD…Z2.tmp/     unfinished: deleted on open
 * </pre>
 *
 * The head holds the newest one to three block ranges. When it spans more than 1.5 ranges, the oldest range is written
 * to a block and dropped from the head (Prometheus' rule); blocks are merged into blocks three times as long once no
 * more data can arrive for their range; retention deletes whole blocks. All of it runs on one background thread,
 * and {@link #maintain} runs a round at once.
 */
public final class Tsdb implements MetricStore {
  private static final Logger log = LoggerFactory.getLogger(Tsdb.class);
  private static final String CORRUPTED_SUFFIX = ".corrupted";

  private final Path dir;
  private final Path blocksDir;
  private final TsdbOptions options;
  private final Head head;
  /** Sorted by time; replaced whole, so that a querier works on the list it started with. */
  private volatile List<Block> blocks;
  private final ScheduledExecutorService upkeep;
  private final Object maintenanceLock = new Object();

  private Tsdb(Path dir, TsdbOptions options, Head head, List<Block> blocks) {
    this.dir = dir;
    this.blocksDir = dir.resolve("blocks");
    this.options = options;
    this.head = head;
    this.blocks = blocks;
    this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "metric-store-upkeep");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens the store: removes unfinished blocks, sets damaged ones aside, opens the rest, replays the head's WAL from
   * where the blocks end, then starts the background upkeep.
   */
  public static Tsdb open(Path dir, TsdbOptions options) throws IOException {
    Path blocksDir = dir.resolve("blocks");
    Files.createDirectories(blocksDir);
    List<Block> blocks = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(blocksDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Directories.deleteTree(entry);
        } else if (Ulid.matches(name) && Files.isDirectory(entry)) {
          try {
            blocks.add(Block.open(entry));
          } catch (CorruptBlockException e) {
            Path aside = entry.resolveSibling(name + CORRUPTED_SUFFIX);
            log.atError().addKeyValue("block", name).addKeyValue("problem", e.getMessage())
                .addKeyValue("moved_to", aside).log("damaged metric block left out of the store");
            Files.move(entry, aside);
          }
        }
      }
    }
    blocks.sort(Comparator.comparingLong(b -> b.meta().minTime()));
    long minValid = blocks.isEmpty() ? Long.MIN_VALUE : blocks.get(blocks.size() - 1).meta().maxTime();
    Head head = Head.open(dir, new Head.Options(options.walConfig(), options.oooWindowMs(), options.maxExemplars(),
        options.blockRangeMs(), minValid, options.maxSeries(), options.maxAheadMs()));
    Tsdb db = new Tsdb(dir, options, head, List.copyOf(blocks));
    long every = options.maintenanceInterval().toMillis();
    db.upkeep.scheduleWithFixedDelay(db::maintainQuietly, every, every, TimeUnit.MILLISECONDS);
    return db;
  }

  @Override
  public Appender appender() {
    return head.appender();
  }

  @Override
  public Querier querier() {
    return new MergeQuerier(blocks, head.querier(), head.minTime(), head.maxTime());
  }

  @Override
  public StoreStats stats(int limit) {
    return head.stats(limit);
  }

  public Head head() {
    return head;
  }

  /** The blocks, oldest first. */
  public List<Block> blocks() {
    return blocks;
  }

  private void maintainQuietly() {
    try {
      maintain();
    } catch (Exception | Error e) {
      log.atError().setCause(e).log("metric store upkeep failed; it will be tried again");
    }
  }

  /** One round of upkeep, now: cut blocks from the head, merge blocks, apply retention. */
  public void maintain() throws IOException {
    synchronized (maintenanceLock) {
      compactHead();
      compactBlocks();
      applyRetention();
    }
  }

  /** Writes the head's oldest block range to a block while the head spans more than 1.5 ranges. */
  private void compactHead() throws IOException {
    long range = options.blockRangeMs();
    while (head.maxTime() != Long.MIN_VALUE && head.maxTime() - head.minTime() > range / 2 * 3) {
      long start = Math.floorDiv(head.minTime(), range) * range;
      long end = start + range;
      long began = System.nanoTime();
      head.raiseMinValidTime(end);
      Head.HeadBlockSource source = head.blockSource(start, end);
      if (source.series().hasNext()) {
        String ulid = Ulid.next();
        BlockMeta meta = BlockWriter.write(blocksDir, ulid, start, end, 1, List.of(ulid), source.symbols(),
            ChunkRecoder.recode(source.series()));
        publish(List.of(), Block.open(blocksDir.resolve(ulid)));
        log.atInfo().addKeyValue("block", ulid).addKeyValue("min_time", start).addKeyValue("max_time", end)
            .addKeyValue("series", meta.numSeries()).addKeyValue("samples", meta.numSamples())
            .addKeyValue("duration_ms", (System.nanoTime() - began) / 1_000_000).log("metric block written from the head");
      }
      int removed = head.truncateBefore(end);
      log.atDebug().addKeyValue("series_removed", removed).log("metric head truncated");
    }
  }

  /**
   * Merges blocks that share an aligned range three, nine, ... times the block range, once that range is wholly
   * behind the head (no more samples can arrive for it).
   */
  private void compactBlocks() throws IOException {
    for (long range = options.blockRangeMs() * 3; range <= options.maxBlockRangeMs(); range *= 3) {
      boolean merged = true;
      while (merged) {
        merged = false;
        List<Block> current = blocks;
        for (int i = 0; i < current.size(); i++) {
          long group = Math.floorDiv(current.get(i).meta().minTime(), range);
          long groupEnd = (group + 1) * range;
          int j = i;
          while (j < current.size() && Math.floorDiv(current.get(j).meta().minTime(), range) == group
              && current.get(j).meta().maxTime() <= groupEnd) {
            j++;
          }
          if (j - i >= 2 && groupEnd <= head.minValidTime()) {
            merge(current.subList(i, j));
            merged = true;
            break;
          }
          i = Math.max(i, j - 1);
        }
      }
    }
  }

  private void merge(List<Block> sources) throws IOException {
    long began = System.nanoTime();
    TreeSet<String> symbols = new TreeSet<>();
    List<String> ancestors = new ArrayList<>();
    int level = 0;
    for (Block b : sources) {
      b.forEachSymbol(symbols::add);
      ancestors.addAll(b.meta().sources());
      level = Math.max(level, b.meta().level());
    }
    String ulid = Ulid.next();
    long minT = sources.get(0).meta().minTime();
    long maxT = sources.get(sources.size() - 1).meta().maxTime();
    BlockMeta meta = BlockWriter.write(blocksDir, ulid, minT, maxT, level + 1, ancestors, symbols,
        new MergedSeries(sources));
    publish(sources, Block.open(blocksDir.resolve(ulid)));
    for (Block b : sources) {
      Directories.deleteTree(b.dir());
    }
    log.atInfo().addKeyValue("block", ulid).addKeyValue("sources", sources.size()).addKeyValue("min_time", minT)
        .addKeyValue("max_time", maxT).addKeyValue("level", meta.level())
        .addKeyValue("duration_ms", (System.nanoTime() - began) / 1_000_000).log("metric blocks merged");
  }

  /** Deletes blocks beyond the time retention, then the oldest blocks while over the size retention. */
  private void applyRetention() throws IOException {
    List<Block> current = blocks;
    if (current.isEmpty()) {
      return;
    }
    List<Block> expired = new ArrayList<>();
    if (options.retentionMs() > 0) {
      long newest = Math.max(head.maxTime(), current.get(current.size() - 1).meta().maxTime());
      for (Block b : current) {
        if (b.meta().maxTime() <= newest - options.retentionMs()) {
          expired.add(b);
        }
      }
    }
    if (options.retentionBytes() > 0) {
      // The block list is kept oldest first (by min time).
      SizeRetention.expireOldest(current, Block::sizeBytes, Directories.size(dir.resolve("wal")),
          options.retentionBytes(), expired);
    }
    if (expired.isEmpty()) {
      return;
    }
    publish(expired, null);
    for (Block b : expired) {
      Directories.deleteTree(b.dir());
      log.atInfo().addKeyValue("block", b.meta().ulid()).addKeyValue("min_time", b.meta().minTime())
          .addKeyValue("max_time", b.meta().maxTime()).log("metric block deleted by retention");
    }
  }

  /** Replaces {@code removed} by {@code added} in the block list, in one step for readers. */
  private synchronized void publish(List<Block> removed, Block added) {
    List<Block> next = new ArrayList<>(blocks);
    next.removeAll(removed);
    if (added != null) {
      next.add(added);
    }
    next.sort(Comparator.comparingLong(b -> b.meta().minTime()));
    blocks = List.copyOf(next);
  }

  @Override
  public void deleteSeries(List<io.sightline.core.model.LabelMatcher> matchers, long minT, long maxT)
      throws IOException {
    synchronized (maintenanceLock) {
      int blocksTouched = 0;
      for (Block b : blocks) {
        blocksTouched += b.delete(matchers, minT, maxT) > 0 ? 1 : 0;
      }
      int headSeries = head.deleteSeriesInHead(matchers, minT, maxT);
      log.atInfo().addKeyValue("matchers", matchers).addKeyValue("min_time", minT).addKeyValue("max_time", maxT)
          .addKeyValue("head_series", headSeries).addKeyValue("blocks", blocksTouched).log("metric series deleted");
    }
  }

  @Override
  public void cleanTombstones() throws IOException {
    synchronized (maintenanceLock) {
      for (Block b : blocks) {
        if (!b.hasTombstones()) {
          continue;
        }
        TreeSet<String> symbols = new TreeSet<>();
        b.forEachSymbol(symbols::add);
        String ulid = Ulid.next();
        BlockMeta meta = b.meta();
        BlockWriter.write(blocksDir, ulid, meta.minTime(), meta.maxTime(), meta.level(), meta.sources(), symbols,
            b.allSeries());
        publish(List.of(b), Block.open(blocksDir.resolve(ulid)));
        Directories.deleteTree(b.dir());
        log.atInfo().addKeyValue("block", meta.ulid()).addKeyValue("rewritten_as", ulid)
            .log("metric block rewritten without its deleted data");
      }
    }
  }

  @Override
  public String snapshot(boolean skipHead) throws IOException {
    byte[] random = new byte[8];
    new java.security.SecureRandom().nextBytes(random);
    String name = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)) + "-" + java.util.HexFormat.of().formatHex(random);
    Path target = dir.resolve("snapshots").resolve(name);
    Files.createDirectories(target);
    // Upkeep waits: a block must not be merged away or deleted while it is being linked.
    synchronized (maintenanceLock) {
      for (Block b : blocks) {
        Path to = target.resolve(b.dir().getFileName());
        try (Stream<Path> files = Files.walk(b.dir())) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Path copy = to.resolve(b.dir().relativize(f).toString());
            if (Files.isDirectory(f)) {
              Files.createDirectories(copy);
            } else {
              Files.createLink(copy, f);
            }
          }
        }
      }
      long maxT = head.maxTime();
      if (!skipHead && maxT != Long.MIN_VALUE) {
        long minT = Math.max(head.minTime(), head.minValidTime());
        Head.HeadBlockSource source = head.blockSource(minT, maxT + 1);
        if (source.series().hasNext()) {
          String ulid = Ulid.next();
          BlockWriter.write(target, ulid, minT, maxT + 1, 1, List.of(ulid), source.symbols(),
              ChunkRecoder.recode(source.series()));
        }
      }
    }
    log.atInfo().addKeyValue("snapshot", name).addKeyValue("skip_head", skipHead).log("metric store snapshot taken");
    return name;
  }

  @Override
  public void close() throws IOException {
    upkeep.shutdownNow();
    try {
      // An upkeep round in progress finishes its block first: a half-written one would only be deleted at open.
      upkeep.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    head.close();
  }

  /** The series of several blocks merged by labels, each series' chunks in block (time) order. */
  private static final class MergedSeries implements Iterator<BlockWriter.SeriesChunks> {
    private final List<Iterator<BlockWriter.SeriesChunks>> sources = new ArrayList<>();
    private final List<BlockWriter.SeriesChunks> heads = new ArrayList<>();

    MergedSeries(List<Block> blocks) {
      for (Block b : blocks) {
        Iterator<BlockWriter.SeriesChunks> it = b.allSeries();
        sources.add(it);
        heads.add(it.hasNext() ? it.next() : null);
      }
    }

    @Override
    public boolean hasNext() {
      return heads.stream().anyMatch(java.util.Objects::nonNull);
    }

    @Override
    public BlockWriter.SeriesChunks next() {
      Labels smallest = null;
      for (BlockWriter.SeriesChunks h : heads) {
        if (h != null && (smallest == null || h.labels().compareTo(smallest) < 0)) {
          smallest = h.labels();
        }
      }
      if (smallest == null) {
        throw new NoSuchElementException();
      }
      List<BlockWriter.EncodedChunk> chunks = new ArrayList<>();
      for (int i = 0; i < heads.size(); i++) {
        BlockWriter.SeriesChunks h = heads.get(i);
        if (h != null && h.labels().equals(smallest)) {
          chunks.addAll(h.chunks());
          heads.set(i, sources.get(i).hasNext() ? sources.get(i).next() : null);
        }
      }
      return new BlockWriter.SeriesChunks(smallest, chunks);
    }
  }
}

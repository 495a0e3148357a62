package io.sightline.tracestore.db;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.core.fs.BlockDirectory;
import io.sightline.core.fs.Directories;
import io.sightline.core.fs.SizeRetention;
import io.sightline.core.wal.Checkpoint;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.FetchRequest;
import io.sightline.tracestore.Operation;
import io.sightline.tracestore.SpanAppender;
import io.sightline.tracestore.TraceConsumer;
import io.sightline.tracestore.TraceStore;
import io.sightline.tracestore.TraceStoreConfig;
import io.sightline.tracestore.TraceStoreStats;
import io.sightline.tracestore.block.Block;
import io.sightline.tracestore.block.BlockMeta;
import io.sightline.tracestore.block.BlockSearch;
import io.sightline.tracestore.block.BlockWriter;
import io.sightline.tracestore.block.CorruptBlockException;
import io.sightline.tracestore.block.FileNames;
import io.sightline.tracestore.block.TagSummary;
import io.sightline.tracestore.block.Ulid;
import io.sightline.tracestore.head.Head;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.SpanMatcher;
import io.sightline.tracestore.model.SpanRef;
import io.sightline.tracestore.model.TraceAssembler;
import io.sightline.tracestore.model.TraceKey;
import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trace store: the head and the blocks under {@code dir}.
 *
 * <pre>
 *   dir/
 *   ├── wal/                    the head's WAL (core.wal) and its newest checkpoint
 *   └── blocks/
 *       ├── 01JD…X4/            level 1: cut from the head (meta, index, bloom, data)
 *       ├── 01JD…Q9/            level 2: merged from four
 *       ├── 01JD…Z2.tmp/        unfinished: deleted on open
 *       └── 01JC…K2.corrupted/  failed its checks on open: set aside, not read
 *
 *   append ─▶ WAL ─▶ head (live traces) ──idle or old──▶ cut: block (+ at most once a minute a checkpoint of what stays; older segments go)
 * </pre>
 *
 * Reads look at the head first and the blocks after (a block is published before its traces leave the head, so a read
 * racing a cut sees a trace in one or both, never in neither; duplicates are dropped when the parts are joined).
 */
public final class TraceDb implements TraceStore {
  private static final Logger log = LoggerFactory.getLogger(TraceDb.class);

  private final Path dir;
  private final Path blocksDir;
  private final TraceStoreConfig config;
  private final Head head;
  /** Sorted by first span start; replaced whole, so that a read works on the list it started with. */
  private volatile List<Block> blocks;
  /**
   * How often a block cut also checkpoints the head. A checkpoint rewrites every span still in the head (the last
   * {@code max_trace_idle} of traffic, or more), so doing it at every cut would write the live spans many times over;
   * between checkpoints the WAL keeps the segments, and a replay leaves out what the newer blocks hold.
   */
  static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(1);

  private final ScheduledExecutorService upkeep;
  /** When the head was last checkpointed; only the upkeep thread reads and writes it. */
  private long lastCheckpointNanos = System.nanoTime();
  private final Object maintenanceLock = new Object();
  private boolean closed;

  private TraceDb(Path dir, TraceStoreConfig config, Head head, List<Block> blocks) {
    this.dir = dir;
    this.blocksDir = dir.resolve(FileNames.BLOCKS_DIR);
    this.config = config;
    this.head = head;
    this.blocks = sorted(blocks);
    this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "trace-store-upkeep");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens the store: deletes unfinished blocks, sets damaged ones aside (with an error log), opens the rest, replays
   * the WAL into the head (leaving out spans a block written just before a crash already holds), then starts the
   * background upkeep.
   */
  public static TraceDb open(Path dir, TraceStoreConfig config) throws IOException {
    Path blocksDir = dir.resolve(FileNames.BLOCKS_DIR);
    Path walDir = dir.resolve(FileNames.WAL_DIR);
    List<Block> blocks = BlockDirectory.open(blocksDir, FileNames.TMP_SUFFIX,
        p -> Ulid.matches(p.getFileName().toString()) && Files.isDirectory(p), Block::open,
        CorruptBlockException.class, "trace", log);
    // Blocks cut after the newest checkpoint: a crash came between writing one and checkpointing the head, so the WAL
    // still holds their spans. Those are left out of the replay.
    Checkpoint cp = Checkpoint.latest(walDir);
    int covered = cp == null ? 0 : cp.index() + 1;
    List<Block> ahead = new ArrayList<>();
    for (Block b : blocks) {
      if (b.meta().walSegment() > covered) {
        ahead.add(b);
      }
    }
    List<Set<TraceKey>> aheadIds = new ArrayList<>();
    for (Block b : ahead) {
      aheadIds.add(b.traceIds());
    }
    Head head = Head.open(walDir, config.wal(), config.maxBytesPerTrace(), config.maxLiveBytes(), (segment, key) -> {
      for (int i = 0; i < ahead.size(); i++) {
        if (segment < ahead.get(i).meta().walSegment() && aheadIds.get(i).contains(key)) {
          return true;
        }
      }
      return false;
    });
    if (!ahead.isEmpty()) {
      // Checkpoint the head as replayed, so that the segments those blocks came from are gone before anything else.
      Head.Cut cut = head.cut(System.nanoTime(), Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, false);
      head.finishCut(cut, true);
      head.checkpoint(cut);
    }
    TraceDb db = new TraceDb(dir, config, head, blocks);
    long every = config.upkeepInterval().toMillis();
    db.upkeep.scheduleWithFixedDelay(db::maintainQuietly, every, every, TimeUnit.MILLISECONDS);
    return db;
  }

  private static List<Block> sorted(Collection<Block> blocks) {
    List<Block> out = new ArrayList<>(blocks);
    out.sort(Comparator.comparingLong((Block b) -> b.meta().minStart()).thenComparing(b -> b.meta().id()));
    return List.copyOf(out);
  }

  @Override
  public SpanAppender appender() {
    return head.appender();
  }

  /** The blocks, by first span start. */
  public List<Block> blocks() {
    return blocks;
  }

  // ---- reads ----

  /** The current blocks, each acquired; release them with {@link #release}. */
  private List<Block> acquireBlocks() {
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
      // A merge retired one meanwhile: its replacement is in the newer list.
      release(acquired);
    }
  }

  private static void release(List<Block> acquired) {
    for (Block b : acquired) {
      b.release();
    }
  }

  @Override
  public Optional<TracesData> trace(byte[] traceId, long startNanos, long endNanos) throws IOException {
    TraceKey key = TraceKey.of(traceId);
    List<SpanRef> parts = collect(key, startNanos, endNanos);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    TraceAssembler a = new TraceAssembler();
    a.addAll(parts);
    return Optional.of(a.build());
  }

  private List<SpanRef> collect(TraceKey key, long startNanos, long endNanos) throws IOException {
    // The head before the blocks: see the class comment.
    List<SpanRef> parts = new ArrayList<>(head.get(key));
    List<Block> acquired = acquireBlocks();
    try {
      for (Block b : acquired) {
        if (b.meta().overlaps(startNanos, endNanos)) {
          parts.addAll(b.find(key));
        }
      }
    } finally {
      release(acquired);
    }
    return parts;
  }

  @Override
  public void fetch(FetchRequest request, TraceConsumer consumer) throws IOException {
    SpanMatcher matcher = new SpanMatcher(request.conditions());
    long start = request.startNanos();
    long end = request.endNanos();
    long all = matcher.all();
    HashMap<TraceKey, Long> found = new HashMap<>();
    for (Head.TraceSnapshot t : head.snapshot()) {
      long mask = 0;
      boolean inRange = false;
      for (SpanRef ref : t.spans()) {
        mask |= matcher.mask(ref);
        inRange |= ref.startNanos() <= end && ref.endNanos() >= start;
      }
      if (inRange && (mask & all) == all && durationFits(t.maxEnd() - t.minStart(), request)) {
        found.merge(t.key(), t.minStart(), Math::max);
      }
    }
    List<Block> acquired = acquireBlocks();
    try {
      List<Block> newestFirst = new ArrayList<>(acquired);
      newestFirst.sort(Comparator.comparingLong((Block b) -> b.meta().maxEnd()).reversed());
      Emitter emitter = new Emitter(found, request.limit(), consumer);
      for (Block b : newestFirst) {
        if (!b.meta().overlaps(start, end)) {
          continue;
        }
        // What was found and starts after this block's end is newer than anything in it or in the older blocks:
        // it goes to the consumer now, so that a search that wants a few traces reads a few blocks.
        if (!emitter.emitNewerThan(b.meta().maxEnd())) {
          return;
        }
        if (!BlockSearch.mayMatch(b, matcher)) {
          continue;
        }
        BlockSearch.search(b, matcher, start, end, request.minDurationNanos(), request.maxDurationNanos(),
            (key, minStart, maxEnd) -> emitter.found(key, minStart));
      }
      emitter.emitNewerThan(Long.MIN_VALUE);
    } finally {
      release(acquired);
    }
  }

  /**
   * Passes found traces to a fetch's consumer newest first (by the latest first-span start of their parts), each
   * once, whole, and at most {@code limit} of them.
   */
  private final class Emitter {
    private final HashMap<TraceKey, Long> pending;
    private final java.util.HashSet<TraceKey> emitted = new java.util.HashSet<>();
    private final int limit;
    private final TraceConsumer consumer;
    private int passed;
    private boolean stopped;

    Emitter(HashMap<TraceKey, Long> pending, int limit, TraceConsumer consumer) {
      this.pending = pending;
      this.limit = limit;
      this.consumer = consumer;
    }

    void found(TraceKey key, long minStart) {
      if (!emitted.contains(key)) {
        pending.merge(key, minStart, Math::max);
      }
    }

    /** Passes the pending traces that start after {@code bound}; false once the consumer or the limit says stop. */
    boolean emitNewerThan(long bound) throws IOException {
      if (stopped) {
        return false;
      }
      List<Map.Entry<TraceKey, Long>> ready = new ArrayList<>();
      for (Map.Entry<TraceKey, Long> e : pending.entrySet()) {
        if (e.getValue() > bound) {
          ready.add(e);
        }
      }
      ready.sort(Map.Entry.<TraceKey, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
      for (Map.Entry<TraceKey, Long> e : ready) {
        pending.remove(e.getKey());
        emitted.add(e.getKey());
        if (passed >= limit) {
          stopped = true;
          return false;
        }
        Optional<TracesData> trace = trace(e.getKey().toBytes(), 0, Long.MAX_VALUE);
        if (trace.isEmpty()) {
          continue; // deleted by retention meanwhile
        }
        passed++;
        if (!consumer.accept(e.getKey().toBytes(), trace.get())) {
          stopped = true;
          return false;
        }
      }
      return true;
    }
  }

  private static boolean durationFits(long duration, FetchRequest r) {
    return (r.minDurationNanos() == 0 || duration >= r.minDurationNanos())
        && (r.maxDurationNanos() == 0 || duration <= r.maxDurationNanos());
  }

  @Override
  public List<String> services() throws IOException {
    TreeSet<String> out = new TreeSet<>();
    for (Head.TraceSnapshot t : head.snapshot()) {
      for (SpanRef ref : t.spans()) {
        out.add(ref.group().serviceName());
      }
    }
    List<Block> acquired = acquireBlocks();
    try {
      for (Block b : acquired) {
        out.addAll(b.services());
      }
    } finally {
      release(acquired);
    }
    out.remove("");
    return List.copyOf(out);
  }

  @Override
  public List<Operation> operations(String service) throws IOException {
    TreeSet<Operation> out = new TreeSet<>();
    for (Head.TraceSnapshot t : head.snapshot()) {
      for (SpanRef ref : t.spans()) {
        if (ref.group().serviceName().equals(service)) {
          Span span = ref.span();
          out.add(new Operation(span.getName(), span.getKindValue()));
        }
      }
    }
    List<Block> acquired = acquireBlocks();
    try {
      for (Block b : acquired) {
        out.addAll(b.operations(service));
      }
    } finally {
      release(acquired);
    }
    return List.copyOf(out);
  }

  @Override
  public Map<AttributeScope, List<String>> tagNames(long startNanos, long endNanos, int limit) throws IOException {
    EnumMap<AttributeScope, TreeSet<String>> names = new EnumMap<>(AttributeScope.class);
    for (AttributeScope s : AttributeScope.values()) {
      names.put(s, new TreeSet<>());
    }
    for (Head.TraceSnapshot t : head.snapshot()) {
      if (t.minStart() > endNanos || t.maxEnd() < startNanos) {
        continue;
      }
      for (SpanRef ref : t.spans()) {
        Span span = ref.span();
        keys(span.getAttributesList(), names.get(AttributeScope.SPAN));
        keys(ref.group().resource().getResource().getAttributesList(), names.get(AttributeScope.RESOURCE));
        keys(ref.group().scope().getScope().getAttributesList(), names.get(AttributeScope.INSTRUMENTATION));
        span.getEventsList().forEach(e -> keys(e.getAttributesList(), names.get(AttributeScope.EVENT)));
        span.getLinksList().forEach(l -> keys(l.getAttributesList(), names.get(AttributeScope.LINK)));
      }
    }
    List<Block> acquired = acquireBlocks();
    try {
      for (Block b : acquired) {
        if (!b.meta().overlaps(startNanos, endNanos)) {
          continue;
        }
        for (AttributeScope s : List.of(AttributeScope.SPAN, AttributeScope.EVENT, AttributeScope.LINK)) {
          names.get(s).addAll(b.tags().keys(s).keySet());
        }
        for (ResourceSpans r : b.resources()) {
          keys(r.getResource().getAttributesList(), names.get(AttributeScope.RESOURCE));
        }
        for (ScopeSpans s : b.scopes()) {
          keys(s.getScope().getAttributesList(), names.get(AttributeScope.INSTRUMENTATION));
        }
      }
    } finally {
      release(acquired);
    }
    EnumMap<AttributeScope, List<String>> out = new EnumMap<>(AttributeScope.class);
    names.forEach((s, set) -> out.put(s, set.stream().limit(limit).toList()));
    return out;
  }

  private static void keys(List<KeyValue> attributes, Set<String> into) {
    for (KeyValue kv : attributes) {
      into.add(kv.getKey());
    }
  }

  @Override
  public List<AnyValue> tagValues(AttributeScope scope, String key, long startNanos, long endNanos, int limit)
      throws IOException {
    Set<AttributeScope> scopes = scope == null ? Set.of(AttributeScope.SPAN, AttributeScope.RESOURCE) : Set.of(scope);
    LinkedHashSet<AnyValue> values = new LinkedHashSet<>();
    for (Head.TraceSnapshot t : head.snapshot()) {
      if (t.minStart() > endNanos || t.maxEnd() < startNanos) {
        continue;
      }
      for (SpanRef ref : t.spans()) {
        Span span = ref.span();
        if (scopes.contains(AttributeScope.SPAN)) {
          values(span.getAttributesList(), key, values);
        }
        if (scopes.contains(AttributeScope.RESOURCE)) {
          values(ref.group().resource().getResource().getAttributesList(), key, values);
        }
        if (scopes.contains(AttributeScope.INSTRUMENTATION)) {
          values(ref.group().scope().getScope().getAttributesList(), key, values);
        }
        if (scopes.contains(AttributeScope.EVENT)) {
          span.getEventsList().forEach(e -> values(e.getAttributesList(), key, values));
        }
        if (scopes.contains(AttributeScope.LINK)) {
          span.getLinksList().forEach(l -> values(l.getAttributesList(), key, values));
        }
      }
    }
    List<Block> acquired = acquireBlocks();
    try {
      for (Block b : acquired) {
        if (!b.meta().overlaps(startNanos, endNanos)) {
          continue;
        }
        for (AttributeScope s : scopes) {
          switch (s) {
            case SPAN, EVENT, LINK -> {
              TagSummary.Values v = b.tags().keys(s).get(key);
              if (v != null) {
                values.addAll(v.values());
              }
            }
            case RESOURCE -> b.resources().forEach(r -> values(r.getResource().getAttributesList(), key, values));
            case INSTRUMENTATION -> b.scopes().forEach(sc -> values(sc.getScope().getAttributesList(), key, values));
          }
        }
      }
    } finally {
      release(acquired);
    }
    List<AnyValue> out = new ArrayList<>(values);
    out.removeIf(v -> v.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET);
    out.sort(Comparator.comparing((AnyValue v) -> v.getValueCase().getNumber()).thenComparing(TraceDb::text));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  private static String text(AnyValue v) {
    return v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue() : v.toString();
  }

  private static void values(List<KeyValue> attributes, String key, Set<AnyValue> into) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        into.add(kv.getValue());
      }
    }
  }

  @Override
  public TraceStoreStats stats() {
    List<Block> current = blocks;
    long traces = head.traceCount();
    long spans = head.spanCount();
    long bytes = 0;
    for (Block b : current) {
      traces += b.meta().traces();
      spans += b.meta().spans();
      bytes += b.sizeBytes();
    }
    try {
      bytes += Directories.size(dir.resolve(FileNames.WAL_DIR));
    } catch (IOException e) {
      log.atDebug().setCause(e).log("WAL size not available");
    }
    return new TraceStoreStats(traces, spans, current.size(), bytes, head.spanCount());
  }

  // ---- upkeep ----

  private void maintainQuietly() {
    try {
      maintain();
    } catch (Exception | Error e) {
      log.atError().setCause(e).log("trace store upkeep failed; it will be tried again");
    }
  }

  /** One round of upkeep, now: cut a block if one is due, merge small blocks, apply retention. */
  public void maintain() throws IOException {
    synchronized (maintenanceLock) {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      if (head.blockDue(now, config.maxTraceIdle().toNanos(), config.maxTraceLive().toNanos(),
          config.maxBlockDuration().toNanos(), config.maxBlockBytes())) {
        cutBlock(false);
      }
      compact();
      applyRetention();
    }
  }

  /**
   * Writes the complete traces of the head to a block now, whether or not one is due; with {@code all}, every trace.
   * For tests and for shutdown.
   */
  public void flush(boolean all) throws IOException {
    synchronized (maintenanceLock) {
      cutBlock(all);
    }
  }

  private void cutBlock(boolean all) throws IOException {
    long began = System.nanoTime();
    boolean checkpoint = all || began - lastCheckpointNanos >= CHECKPOINT_INTERVAL.toNanos();
    Head.Cut cut = head.cut(began, config.maxTraceIdle().toNanos(), config.maxTraceLive().toNanos(), all,
        checkpoint);
    if (cut.traces().isEmpty()) {
      head.finishCut(cut, true);
      if (all) {
        checkpoint(cut);
      }
      return;
    }
    String id = Ulid.next();
    BlockWriter writer = BlockWriter.create(blocksDir, id, cut.walSegment(), 1);
    BlockMeta meta;
    Block block;
    try {
      for (Map.Entry<TraceKey, List<SpanRef>> e : cut.traces().entrySet()) {
        TraceAssembler a = new TraceAssembler();
        a.addAll(e.getValue());
        writer.add(e.getKey(), a.spans());
      }
      meta = writer.finish();
      block = Block.open(blocksDir.resolve(id));
    } catch (IOException | RuntimeException e) {
      writer.abort();
      head.finishCut(cut, false);
      throw e;
    }
    publish(List.of(), block);
    head.finishCut(cut, true);
    if (checkpoint) {
      checkpoint(cut);
    }
    log.atInfo().addKeyValue("block", id).addKeyValue("traces", meta.traces()).addKeyValue("spans", meta.spans())
        .addKeyValue("bytes", block.sizeBytes()).addKeyValue("duration_ms", (System.nanoTime() - began) / 1_000_000)
        .log("trace block written from the head");
  }

  /** Rewrites what stays in the head as the WAL's checkpoint, so that the segments before the cut can go. */
  private void checkpoint(Head.Cut cut) throws IOException {
    head.checkpoint(cut);
    lastCheckpointNanos = System.nanoTime();
  }

  private synchronized void publish(List<Block> removed, Block added) {
    List<Block> next = new ArrayList<>(blocks);
    next.removeAll(removed);
    if (added != null) {
      next.add(added);
    }
    blocks = sorted(next);
  }

  private void compact() throws IOException {
    while (true) {
      // Only blocks whose WAL segments a checkpoint has covered: replay after a crash tells the others' spans apart by
      // their trace ids, which a merge with older blocks would blur.
      int covered = head.checkpointSegment() + 1;
      List<Block> candidates = blocks.stream().filter(b -> b.meta().walSegment() <= covered).toList();
      List<Block> run = Compactor.plan(candidates, config.compactionWindow().toNanos(), config.compactedBlockBytes(),
          config.minBlocksToCompact());
      if (run.isEmpty()) {
        return;
      }
      long began = System.nanoTime();
      BlockMeta meta = Compactor.merge(blocksDir, run);
      Block merged = meta == null ? null : Block.open(blocksDir.resolve(meta.id()));
      publish(run, merged);
      for (Block b : run) {
        b.retire();
        Directories.deleteTree(b.dir());
      }
      log.atInfo().addKeyValue("block", meta == null ? "none" : meta.id()).addKeyValue("sources", run.size())
          .addKeyValue("spans", meta == null ? 0 : meta.spans())
          .addKeyValue("duration_ms", (System.nanoTime() - began) / 1_000_000).log("trace blocks merged");
    }
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
        if (b.meta().maxEnd() < cutoff) {
          expired.add(b);
        }
      }
    }
    if (config.retentionBytes() > 0) {
      List<Block> oldestFirst = new ArrayList<>(current);
      oldestFirst.sort(Comparator.comparingLong(b -> b.meta().maxEnd()));
      SizeRetention.expireOldest(oldestFirst, Block::sizeBytes, Directories.size(dir.resolve(FileNames.WAL_DIR)),
          config.retentionBytes(), expired);
    }
    if (expired.isEmpty()) {
      return;
    }
    synchronized (this) {
      List<Block> next = new ArrayList<>(blocks);
      next.removeAll(expired);
      blocks = List.copyOf(next);
    }
    for (Block b : expired) {
      b.retire();
      Directories.deleteTree(b.dir());
      log.atInfo().addKeyValue("block", b.meta().id()).addKeyValue("max_end", b.meta().maxEnd())
          .log("trace block deleted by retention");
    }
  }

  @Override
  public void close() throws IOException {
    upkeep.shutdown();
    try {
      if (!upkeep.awaitTermination(1, TimeUnit.MINUTES)) {
        log.atWarn().log("trace store upkeep did not stop within a minute");
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
        cutBlock(true);
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
}

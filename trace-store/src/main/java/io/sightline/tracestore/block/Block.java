package io.sightline.tracestore.block;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.sightline.core.fs.Directories;
import io.sightline.tracestore.Operation;
import io.sightline.tracestore.column.Attributes;
import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.tracestore.column.Page;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.SpanRef;
import io.sightline.tracestore.model.TraceKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * An open block: its meta, index, bloom filter and tables in memory, its data file open for page reads.
 *
 * <pre>
 *   in memory                                   on disk (data)
 *   bloom ── mayContain(id)?                    ┌────────┬───────────────────────────┬─────┬──────────┐
 *   groups: [first id, last id, time, pages] ──▶│ header │ group 0: 16 pages          │ ... │ CRC32C   │
 *   resources[], scopes[] (OTLP shells)         └────────┴───────────────────────────┴─────┴──────────┘
 *   tag summary, operations
 * </pre>
 *
 * A lookup by id asks the bloom filter, binary-searches the groups by id range, then reads that one group's pages.
 * Readers {@link #acquire} the block for the length of a read, so that a merge or retention that deletes it closes
 * the file only after the last reader is done.
 */
public final class Block {
  private final Path dir;
  private final BlockMeta meta;
  private final List<RowGroupInfo> groups;
  private final ResourceSpans[] resources;
  private final ScopeSpans[] scopes;
  private final String[] resourceServices;
  private final TagSummary tags;
  private final List<Operations.Entry> operations;
  private final BloomFilter bloom;
  private final FileChannel data;
  private final long sizeBytes;
  private final AtomicInteger refs = new AtomicInteger(1);

  private Block(Path dir, BlockMeta meta, List<RowGroupInfo> groups, ResourceSpans[] resources, ScopeSpans[] scopes,
      TagSummary tags, List<Operations.Entry> operations, BloomFilter bloom, FileChannel data, long sizeBytes) {
    this.dir = dir;
    this.meta = meta;
    this.groups = groups;
    this.resources = resources;
    this.scopes = scopes;
    this.tags = tags;
    this.operations = operations;
    this.bloom = bloom;
    this.data = data;
    this.sizeBytes = sizeBytes;
    this.resourceServices = new String[resources.length];
    for (int i = 0; i < resources.length; i++) {
      resourceServices[i] = new SpanGroup(resources[i], ScopeSpans.getDefaultInstance()).serviceName();
    }
  }

  /**
   * Opens the block in {@code dir}: reads and checks meta, index and bloom (magic, version, CRC, structure) and the
   * data file's header and length. Page CRCs are checked as pages are read.
   */
  public static Block open(Path dir) throws CorruptBlockException {
    Path metaFile = dir.resolve(FileNames.META);
    Path indexFile = dir.resolve(FileNames.INDEX);
    Path bloomFile = dir.resolve(FileNames.BLOOM);
    Path dataFile = dir.resolve(FileNames.DATA);
    BlockMeta meta;
    try {
      meta = BlockMeta.read(BlockFiles.read(metaFile, BlockFiles.META_MAGIC));
    } catch (IllegalArgumentException e) {
      throw new CorruptBlockException(metaFile, "does not parse", e);
    }
    if (!meta.id().equals(dir.getFileName().toString())) {
      throw new CorruptBlockException(metaFile, "names block " + meta.id());
    }
    List<RowGroupInfo> groups = new ArrayList<>();
    ResourceSpans[] resources;
    ScopeSpans[] scopes;
    TagSummary tags;
    List<Operations.Entry> operations;
    try {
      DecodeBuffer in = BlockFiles.read(indexFile, BlockFiles.INDEX_MAGIC);
      int n = Attributes.count(in);
      long rows = 0;
      for (int g = 0; g < n; g++) {
        TraceKey first = new TraceKey(in.getLongBE(), in.getLongBE());
        TraceKey last = new TraceKey(in.getLongBE(), in.getLongBE());
        int groupRows = (int) in.getUvarint();
        int traces = (int) in.getUvarint();
        long minStart = in.getLongBE();
        long maxEnd = in.getLongBE();
        long[] offsets = new long[Columns.COUNT];
        int[] lengths = new int[Columns.COUNT];
        for (int c = 0; c < Columns.COUNT; c++) {
          offsets[c] = in.getUvarint();
          lengths[c] = (int) in.getUvarint();
        }
        groups.add(new RowGroupInfo(first, last, groupRows, traces, minStart, maxEnd, offsets, lengths));
        rows += groupRows;
      }
      if (rows != meta.spans()) {
        throw new IllegalArgumentException("index counts " + rows + " spans, meta " + meta.spans());
      }
      resources = new ResourceSpans[Attributes.count(in)];
      for (int i = 0; i < resources.length; i++) {
        resources[i] = ResourceSpans.parseFrom(Attributes.getBytes(in));
      }
      scopes = new ScopeSpans[Attributes.count(in)];
      for (int i = 0; i < scopes.length; i++) {
        scopes[i] = ScopeSpans.parseFrom(Attributes.getBytes(in));
      }
      tags = TagSummary.read(in);
      operations = Operations.read(in);
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the index");
      }
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      throw new CorruptBlockException(indexFile, "does not parse", e);
    }
    BloomFilter bloom;
    try {
      bloom = BloomFilter.read(BlockFiles.read(bloomFile, BlockFiles.BLOOM_MAGIC));
    } catch (IllegalArgumentException e) {
      throw new CorruptBlockException(bloomFile, "does not parse", e);
    }
    FileChannel data = null;
    try {
      data = FileChannel.open(dataFile, StandardOpenOption.READ);
      ByteBuffer header = ByteBuffer.allocate(BlockFiles.HEADER);
      data.read(header, 0);
      BlockFiles.checkHeader(dataFile, header.array(), BlockFiles.DATA_MAGIC);
      long expected = groups.isEmpty() ? BlockFiles.HEADER + 4 : lastPageEnd(groups) + 4;
      if (data.size() != expected) {
        throw new CorruptBlockException(dataFile, data.size() + " bytes where the index needs " + expected);
      }
      long size = Directories.size(dir);
      return new Block(dir, meta, List.copyOf(groups), resources, scopes, tags, operations, bloom, data, size);
    } catch (IOException e) {
      closeQuietly(data);
      throw e instanceof CorruptBlockException c ? c : new CorruptBlockException(dataFile, "cannot be read", e);
    }
  }

  private static long lastPageEnd(List<RowGroupInfo> groups) {
    RowGroupInfo g = groups.get(groups.size() - 1);
    return g.offsets()[Columns.COUNT - 1] + g.lengths()[Columns.COUNT - 1];
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // the open failed already; that error is the one to report
      }
    }
  }

  public Path dir() {
    return dir;
  }

  public BlockMeta meta() {
    return meta;
  }

  /** Bytes of the block's files. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** Takes a reference for a read; false if the block was retired and closed meanwhile. */
  public boolean acquire() {
    while (true) {
      int n = refs.get();
      if (n == 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void release() {
    if (refs.decrementAndGet() == 0) {
      closeQuietly(data);
    }
  }

  /** Drops the store's own reference: the file closes when the last reader releases it. */
  public void retire() {
    release();
  }

  public boolean mayContain(TraceKey key) {
    return bloom.mayContain(key);
  }

  /** The spans of trace {@code key} in this block; empty when none. */
  public List<SpanRef> find(TraceKey key) throws IOException {
    if (!bloom.mayContain(key)) {
      return List.of();
    }
    int lo = 0;
    int hi = groups.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      RowGroupInfo g = groups.get(mid);
      if (g.last().compareTo(key) < 0) {
        lo = mid + 1;
      } else if (g.first().compareTo(key) > 0) {
        hi = mid - 1;
      } else {
        RowGroup rg = new RowGroup(this, g);
        TraceKey[] keys = rg.keys();
        int t = java.util.Arrays.binarySearch(keys, key);
        if (t < 0) {
          return List.of();
        }
        List<SpanRef> out = new ArrayList<>();
        rg.decode(t, t + 1, (k, spans) -> out.addAll(spans));
        return out;
      }
    }
    return List.of();
  }

  public int groupCount() {
    return groups.size();
  }

  public boolean groupOverlaps(int g, long start, long end) {
    return groups.get(g).overlaps(start, end);
  }

  public RowGroup group(int g) {
    return new RowGroup(this, groups.get(g));
  }

  /** Every trace id of the block. */
  public Set<TraceKey> traceIds() throws IOException {
    Set<TraceKey> out = new HashSet<>();
    for (RowGroupInfo g : groups) {
      out.addAll(List.of(new RowGroup(this, g).keys()));
    }
    return out;
  }

  public List<ResourceSpans> resources() {
    return List.of(resources);
  }

  public List<ScopeSpans> scopes() {
    return List.of(scopes);
  }

  public ResourceSpans resource(int id) {
    return resources[id];
  }

  public ScopeSpans scope(int id) {
    return scopes[id];
  }

  SpanGroup group(int resource, int scope) {
    if (resource >= resources.length || scope >= scopes.length || resource < 0 || scope < 0) {
      throw new IllegalArgumentException("resource " + resource + " / scope " + scope + " not in the block's tables");
    }
    return new SpanGroup(resources[resource], scopes[scope]);
  }

  public TagSummary tags() {
    return tags;
  }

  /** Distinct service names of the block's resources ("" for a resource without one). */
  public Set<String> services() {
    return new LinkedHashSet<>(List.of(resourceServices));
  }

  public List<Operation> operations(String service) {
    List<Operation> out = new ArrayList<>();
    for (Operations.Entry e : operations) {
      if (e.service().equals(service)) {
        out.add(new Operation(e.name(), e.kind()));
      }
    }
    return out;
  }

  /** Whether some span of the block has this name. */
  public boolean hasSpanName(String name) {
    for (Operations.Entry e : operations) {
      if (e.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  byte[] readPage(long offset, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    long pos = offset;
    while (b.hasRemaining()) {
      int n = data.read(b, pos);
      if (n < 0) {
        throw new CorruptBlockException(dir.resolve(FileNames.DATA), "page at " + offset + " past the end");
      }
      pos += n;
    }
    try {
      return Page.decode(b.array());
    } catch (IllegalArgumentException e) {
      throw new CorruptBlockException(dir.resolve(FileNames.DATA), "page at " + offset + ": " + e.getMessage(), e);
    }
  }

  /** A decoding step that may find the bytes malformed. */
  @FunctionalInterface
  interface Decoding<T> {
    T run() throws IOException;
  }

  /** Runs a decoding step, reporting malformed bytes as a corrupt block rather than a bug. */
  <T> T decode(Decoding<T> step) throws IOException {
    try {
      return step.run();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new CorruptBlockException(dir.resolve(FileNames.DATA), e.getMessage(), e);
    }
  }

  /** Reads every page and checks every CRC: the whole-file check a damaged disk calls for. */
  public void verify() throws IOException {
    CRC32C crcs = new CRC32C();
    for (RowGroupInfo g : groups) {
      for (int c = 0; c < Columns.COUNT; c++) {
        readPage(g.offsets()[c], g.lengths()[c]);
        ByteBuffer tail = ByteBuffer.allocate(4);
        data.read(tail, g.offsets()[c] + g.lengths()[c] - 4);
        crcs.update(tail.array());
      }
    }
    ByteBuffer end = ByteBuffer.allocate(4);
    data.read(end, Files.size(dir.resolve(FileNames.DATA)) - 4);
    if (end.getInt(0) != (int) crcs.getValue()) {
      throw new CorruptBlockException(dir.resolve(FileNames.DATA), "checksum of the page checksums mismatch");
    }
  }
}

package io.sightline.tracestore.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.fs.Directories;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.column.Attributes;
import io.sightline.tracestore.column.Page;
import io.sightline.tracestore.column.StringDictionary;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.SpanRef;
import io.sightline.tracestore.model.TraceKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes one block from traces given in ascending trace-id order, each with its spans in canonical order
 * ({@link io.sightline.tracestore.model.TraceAssembler#spans()}). Rows are buffered one row group at a time, so a
 * merge of big blocks needs memory for a row group plus the block's tables, not for the block.
 *
 * <pre>
 *   add(trace) ──▶ row group buffers: one EncodeBuffer per column + the group's StringDictionary
 *                    │ full (≥ ROWS_PER_GROUP rows, at a trace boundary)
 *                    ▼
 *                  data file  ◀── 16 pages (compressed, CRC'd), offsets kept for the index
 *   finish() ──▶ index (row groups, resource and scope tables, tag summary, operations), bloom, meta;
 *                every file forced; {@code <id>.tmp/} renamed to {@code <id>/}
 * </pre>
 */
public final class BlockWriter {
  /**
   * A trace-by-id decompresses one row group's columns: about 1,000 spans, a few hundred KiB raw, well under a
   * millisecond; and zstd has enough rows per page to find the repeats in names, keys and resource ids.
   */
  static final int ROWS_PER_GROUP = 1024;

  private final Path blocksDir;
  private final String id;
  private final Path tmp;
  private final int walSegment;
  private final int level;
  private final FileChannel data;
  private long dataOffset;
  private final CRC32C pageCrcs = new CRC32C();

  private final EncodeBuffer[] cols = new EncodeBuffer[Columns.COUNT];
  private final StringDictionary dict = new StringDictionary();
  private int groupRows;
  private int groupTraces;
  private TraceKey groupFirst;
  private TraceKey groupLast;
  private long groupMinStart = Long.MAX_VALUE;
  private long groupMaxEnd = Long.MIN_VALUE;
  private long prevStart;

  private final List<RowGroupInfo> groups = new ArrayList<>();
  private final LinkedHashMap<ResourceSpans, Integer> resources = new LinkedHashMap<>();
  private final List<String> resourceServices = new ArrayList<>();
  private final LinkedHashMap<ScopeSpans, Integer> scopes = new LinkedHashMap<>();
  private final IdentityHashMap<SpanGroup, int[]> groupIds = new IdentityHashMap<>();
  private final WireSpanWriter wire = new WireSpanWriter(this);
  private final TagSummary tags = new TagSummary();
  private final LinkedHashSet<Operations.Entry> operations = new LinkedHashSet<>();
  private long[] keys = new long[256];
  private long traces;
  private long spans;
  private long minStart = Long.MAX_VALUE;
  private long maxEnd = Long.MIN_VALUE;
  private TraceKey previous;

  private BlockWriter(Path blocksDir, String id, int walSegment, int level) throws IOException {
    this.blocksDir = blocksDir;
    this.id = id;
    this.tmp = blocksDir.resolve(id + FileNames.TMP_SUFFIX);
    this.walSegment = walSegment;
    this.level = level;
    Directories.deleteTree(tmp);
    Files.createDirectories(tmp);
    this.data = FileChannel.open(tmp.resolve(FileNames.DATA), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    writeData(BlockFiles.header(BlockFiles.DATA_MAGIC));
    for (int i = 0; i < cols.length; i++) {
      cols[i] = new EncodeBuffer(4096);
    }
  }

  /** Starts block {@code id} in {@code blocksDir}/{@code id}.tmp. */
  public static BlockWriter create(Path blocksDir, String id, int walSegment, int level) throws IOException {
    return new BlockWriter(blocksDir, id, walSegment, level);
  }

  /** Adds a trace; ids must ascend, and the spans must be de-duplicated and in canonical order. */
  public void add(TraceKey key, List<SpanRef> traceSpans) throws IOException {
    if (traceSpans.isEmpty()) {
      return;
    }
    if (previous != null && previous.compareTo(key) >= 0) {
      throw new IllegalArgumentException("traces out of order: " + key + " after " + previous);
    }
    previous = key;
    if (traces * 2 + 2 > keys.length) {
      keys = Arrays.copyOf(keys, keys.length * 2);
    }
    keys[(int) (traces * 2)] = key.hi();
    keys[(int) (traces * 2 + 1)] = key.lo();
    traces++;
    if (groupRows == 0) {
      groupFirst = key;
    }
    groupLast = key;
    groupTraces++;
    cols[Columns.TRACE].putLongBE(key.hi()).putLongBE(key.lo()).putUvarint(traceSpans.size());
    Map<ByteString, Integer> rowOfSpanId = null;
    if (traceSpans.size() > 1) {
      rowOfSpanId = new HashMap<>(traceSpans.size() * 2);
      for (int i = 0; i < traceSpans.size(); i++) {
        rowOfSpanId.putIfAbsent(traceSpans.get(i).spanId(), i);
      }
    }
    for (SpanRef ref : traceSpans) {
      if (ref.encoding() != null) {
        wire.add(ref, rowOfSpanId);
      } else {
        addSpan(ref, rowOfSpanId);
      }
    }
    if (groupRows >= ROWS_PER_GROUP) {
      flushGroup();
    }
  }

  /** Where the columns of a span's group go: the block's resource and scope ids, looked up by identity first. */
  int[] groupIds(SpanGroup group) {
    int[] ids = groupIds.get(group);
    if (ids == null) {
      int resourceId = resources.computeIfAbsent(group.resource(), r -> {
        resourceServices.add(group.serviceName());
        return resources.size();
      });
      ids = new int[] {resourceId, scopes.computeIfAbsent(group.scope(), k -> scopes.size())};
      groupIds.put(group, ids);
    }
    return ids;
  }

  String serviceOf(int resource) {
    return resourceServices.get(resource);
  }

  EncodeBuffer column(int c) {
    return cols[c];
  }

  StringDictionary dict() {
    return dict;
  }

  TagSummary tags() {
    return tags;
  }

  void operation(Operations.Entry e) {
    operations.add(e);
  }

  /** The times of a span the wire writer decoded, as {@link #addSpan} keeps them. */
  void spanTimes(long start, long end) {
    cols[Columns.START].putVarint(start - prevStart);
    prevStart = start;
    cols[Columns.DURATION].putVarint(end - start);
    groupMinStart = Math.min(groupMinStart, start);
    groupMaxEnd = Math.max(groupMaxEnd, end);
  }

  void rowDone() {
    groupRows++;
    spans++;
  }

  private void addSpan(SpanRef ref, Map<ByteString, Integer> rowOfSpanId) {
    Span s = ref.span();
    Attributes.putBytes(cols[Columns.SPAN_ID], s.getSpanId().toByteArray());
    ByteString parent = s.getParentSpanId();
    Integer parentRow = parent.isEmpty() || rowOfSpanId == null ? null : rowOfSpanId.get(parent);
    if (parent.isEmpty()) {
      cols[Columns.PARENT].putUvarint(Columns.PARENT_NONE);
    } else if (parentRow != null) {
      cols[Columns.PARENT].putUvarint(Columns.PARENT_ROW_BASE + parentRow);
    } else {
      Attributes.putBytes(cols[Columns.PARENT].putUvarint(Columns.PARENT_LITERAL), parent.toByteArray());
    }
    long start = s.getStartTimeUnixNano();
    long end = s.getEndTimeUnixNano();
    cols[Columns.START].putVarint(start - prevStart);
    prevStart = start;
    cols[Columns.DURATION].putVarint(end - start);
    groupMinStart = Math.min(groupMinStart, start);
    groupMaxEnd = Math.max(groupMaxEnd, end);
    cols[Columns.NAME].putUvarint(dict.id(s.getName()));
    cols[Columns.KIND].putVarint(s.getKindValue());
    if (s.hasStatus()) {
      cols[Columns.STATUS].putByte(1).putVarint(s.getStatus().getCodeValue())
          .putUvarint(dict.id(s.getStatus().getMessage()));
    } else {
      cols[Columns.STATUS].putByte(0);
    }
    cols[Columns.FLAGS].putUvarint(Integer.toUnsignedLong(s.getFlags()));
    cols[Columns.TRACE_STATE].putUvarint(dict.id(s.getTraceState()));
    cols[Columns.DROPPED].putUvarint(Integer.toUnsignedLong(s.getDroppedAttributesCount()))
        .putUvarint(Integer.toUnsignedLong(s.getDroppedEventsCount()))
        .putUvarint(Integer.toUnsignedLong(s.getDroppedLinksCount()));
    // The spans of one scope of one append share a group instance: most lookups are by identity, and only a new
    // instance pays for hashing and comparing its resource's attributes.
    int[] ids = groupIds(ref.group());
    int resource = ids[0];
    int scope = ids[1];
    cols[Columns.GROUP].putUvarint(resource).putUvarint(scope);
    operations.add(new Operations.Entry(resourceServices.get(resource), s.getName(), s.getKindValue()));
    Attributes.write(s.getAttributesList(), dict, cols[Columns.ATTRS]);
    tags.add(AttributeScope.SPAN, s.getAttributesList());
    EncodeBuffer ev = cols[Columns.EVENTS].putUvarint(s.getEventsCount());
    for (Span.Event e : s.getEventsList()) {
      ev.putVarint(e.getTimeUnixNano() - start).putUvarint(dict.id(e.getName()))
          .putUvarint(Integer.toUnsignedLong(e.getDroppedAttributesCount()));
      Attributes.write(e.getAttributesList(), dict, ev);
      tags.add(AttributeScope.EVENT, e.getAttributesList());
    }
    EncodeBuffer ln = cols[Columns.LINKS].putUvarint(s.getLinksCount());
    for (Span.Link l : s.getLinksList()) {
      Attributes.putBytes(ln, l.getTraceId().toByteArray());
      Attributes.putBytes(ln, l.getSpanId().toByteArray());
      ln.putUvarint(dict.id(l.getTraceState())).putUvarint(Integer.toUnsignedLong(l.getFlags()))
          .putUvarint(Integer.toUnsignedLong(l.getDroppedAttributesCount()));
      Attributes.write(l.getAttributesList(), dict, ln);
      tags.add(AttributeScope.LINK, l.getAttributesList());
    }
    groupRows++;
    spans++;
  }

  private void flushGroup() throws IOException {
    if (groupRows == 0) {
      return;
    }
    dict.writeTo(cols[Columns.DICT]);
    long[] offsets = new long[Columns.COUNT];
    int[] lengths = new int[Columns.COUNT];
    for (int c = 0; c < Columns.COUNT; c++) {
      byte[] raw = cols[c].toByteArray();
      byte[] page = Page.encode(raw, raw.length);
      offsets[c] = dataOffset;
      lengths[c] = page.length;
      writeData(page);
      pageCrcs.update(page, page.length - 4, 4);
      cols[c].reset();
    }
    groups.add(new RowGroupInfo(groupFirst, groupLast, groupRows, groupTraces, groupMinStart, groupMaxEnd, offsets,
        lengths));
    minStart = Math.min(minStart, groupMinStart);
    maxEnd = Math.max(maxEnd, groupMaxEnd);
    dict.clear();
    groupRows = 0;
    groupTraces = 0;
    groupMinStart = Long.MAX_VALUE;
    groupMaxEnd = Long.MIN_VALUE;
    prevStart = 0;
  }

  private void writeData(byte[] b) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    while (buf.hasRemaining()) {
      dataOffset += data.write(buf);
    }
  }

  /** Spans added so far. */
  public long spans() {
    return spans;
  }

  /**
   * Writes the index, bloom filter and meta, forces everything and renames the block into place.
   *
   * @return the block's meta; null if no span was added (nothing is left on disk then)
   */
  public BlockMeta finish() throws IOException {
    flushGroup();
    if (spans == 0) {
      abort();
      return null;
    }
    writeData(ByteBuffer.allocate(4).putInt((int) pageCrcs.getValue()).array());
    data.force(true);
    data.close();

    EncodeBuffer index = new EncodeBuffer(64 * 1024);
    index.putUvarint(groups.size());
    for (RowGroupInfo g : groups) {
      index.putLongBE(g.first().hi()).putLongBE(g.first().lo()).putLongBE(g.last().hi()).putLongBE(g.last().lo())
          .putUvarint(g.rows()).putUvarint(g.traces()).putLongBE(g.minStart()).putLongBE(g.maxEnd());
      for (int c = 0; c < Columns.COUNT; c++) {
        index.putUvarint(g.offsets()[c]).putUvarint(g.lengths()[c]);
      }
    }
    index.putUvarint(resources.size());
    for (ResourceSpans r : resources.keySet()) {
      Attributes.putBytes(index, r.toByteArray());
    }
    index.putUvarint(scopes.size());
    for (ScopeSpans s : scopes.keySet()) {
      Attributes.putBytes(index, s.toByteArray());
    }
    tags.writeTo(index);
    Operations.write(operations, index);
    BlockFiles.write(tmp.resolve(FileNames.INDEX), BlockFiles.INDEX_MAGIC, index.toByteArray());

    BloomFilter bloom = BloomFilter.forKeys(traces);
    for (long i = 0; i < traces; i++) {
      bloom.add(new TraceKey(keys[(int) (i * 2)], keys[(int) (i * 2 + 1)]));
    }
    EncodeBuffer b = new EncodeBuffer((int) Math.min(Integer.MAX_VALUE - 64, bloom.sizeBytes() + 16));
    bloom.writeTo(b);
    BlockFiles.write(tmp.resolve(FileNames.BLOOM), BlockFiles.BLOOM_MAGIC, b.toByteArray());

    BlockMeta meta = new BlockMeta(id, minStart, maxEnd, spans, traces, walSegment, level);
    EncodeBuffer m = new EncodeBuffer(128);
    meta.writeTo(m);
    BlockFiles.write(tmp.resolve(FileNames.META), BlockFiles.META_MAGIC, m.toByteArray());

    Directories.force(tmp);
    Files.move(tmp, blocksDir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
    Directories.force(blocksDir);
    return meta;
  }

  /** Drops what was written. */
  public void abort() throws IOException {
    if (data.isOpen()) {
      data.close();
    }
    Directories.deleteTree(tmp);
  }
}

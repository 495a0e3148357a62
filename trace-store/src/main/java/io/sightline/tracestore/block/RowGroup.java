package io.sightline.tracestore.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.sightline.tracestore.column.Attributes;
import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.tracestore.column.StringDictionary;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.SpanRef;
import io.sightline.tracestore.model.TraceKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One row group being read: its pages are read and decompressed on first use, so that a search reads only the
 * columns its conditions name. Not thread-safe; one per read.
 */
public final class RowGroup {
  private final Block block;
  private final RowGroupInfo info;
  private final byte[][] raw = new byte[Columns.COUNT][];
  private String[] dict;
  private TraceKey[] keys;
  private int[] traceStart;

  RowGroup(Block block, RowGroupInfo info) {
    this.block = block;
    this.info = info;
  }

  public int rows() {
    return info.rows();
  }

  public int traces() {
    return info.traces();
  }

  byte[] raw(int column) throws IOException {
    if (raw[column] == null) {
      raw[column] = block.readPage(info.offsets()[column], info.lengths()[column]);
    }
    return raw[column];
  }

  DecodeBuffer column(int column) throws IOException {
    return new DecodeBuffer(raw(column));
  }

  String[] dict() throws IOException {
    if (dict == null) {
      dict = block.decode(() -> StringDictionary.read(raw(Columns.DICT)));
    }
    return dict;
  }

  /** The trace ids of the group, ascending. */
  public TraceKey[] keys() throws IOException {
    loadTraces();
    return keys;
  }

  /** Row of each trace's first span; one more entry holds the row count. */
  public int[] traceStart() throws IOException {
    loadTraces();
    return traceStart;
  }

  private void loadTraces() throws IOException {
    if (keys != null) {
      return;
    }
    block.decode(() -> {
      DecodeBuffer in = column(Columns.TRACE);
      TraceKey[] k = new TraceKey[info.traces()];
      int[] start = new int[info.traces() + 1];
      int row = 0;
      for (int t = 0; t < k.length; t++) {
        k[t] = new TraceKey(in.getLongBE(), in.getLongBE());
        start[t] = row;
        row += (int) in.getUvarint();
      }
      if (row != info.rows()) {
        throw new IllegalArgumentException("trace column counts " + row + " rows, the index " + info.rows());
      }
      start[k.length] = row;
      keys = k;
      traceStart = start;
      return null;
    });
  }

  /** Start time of every row. */
  public long[] starts() throws IOException {
    return block.decode(() -> {
      DecodeBuffer in = column(Columns.START);
      long[] out = new long[info.rows()];
      long prev = 0;
      for (int i = 0; i < out.length; i++) {
        prev += in.getVarint();
        out[i] = prev;
      }
      return out;
    });
  }

  /** End time of every row, given {@link #starts()}. */
  public long[] ends(long[] starts) throws IOException {
    return block.decode(() -> {
      DecodeBuffer in = column(Columns.DURATION);
      long[] out = new long[info.rows()];
      for (int i = 0; i < out.length; i++) {
        out[i] = starts[i] + in.getVarint();
      }
      return out;
    });
  }

  /** Receives the traces of {@link #decode}. */
  @FunctionalInterface
  public interface TraceSink {
    void accept(TraceKey key, List<SpanRef> spans) throws IOException;
  }

  /** Builds the spans of traces {@code from ≤ t < to} (indexes into {@link #keys()}), in row order. */
  public void decode(int from, int to, TraceSink sink) throws IOException {
    loadTraces();
    String[] d = dict();
    DecodeBuffer spanId = column(Columns.SPAN_ID);
    DecodeBuffer parent = column(Columns.PARENT);
    DecodeBuffer start = column(Columns.START);
    DecodeBuffer duration = column(Columns.DURATION);
    DecodeBuffer name = column(Columns.NAME);
    DecodeBuffer kind = column(Columns.KIND);
    DecodeBuffer status = column(Columns.STATUS);
    DecodeBuffer flags = column(Columns.FLAGS);
    DecodeBuffer traceState = column(Columns.TRACE_STATE);
    DecodeBuffer dropped = column(Columns.DROPPED);
    DecodeBuffer group = column(Columns.GROUP);
    DecodeBuffer attrs = column(Columns.ATTRS);
    DecodeBuffer events = column(Columns.EVENTS);
    DecodeBuffer links = column(Columns.LINKS);
    List<TraceData> out = new ArrayList<>(Math.max(0, to - from));
    block.decode(() -> {
      long prevStart = 0;
      for (int t = 0; t < to; t++) {
        int n = traceStart[t + 1] - traceStart[t];
        if (t < from) {
          for (int r = 0; r < n; r++) {
            Attributes.skipBytes(spanId);
            if (parent.getUvarint() == Columns.PARENT_LITERAL) {
              Attributes.skipBytes(parent);
            }
            prevStart += start.getVarint();
            duration.getVarint();
            name.getUvarint();
            kind.getVarint();
            if (status.getByte() == 1) {
              status.getVarint();
              status.getUvarint();
            }
            flags.getUvarint();
            traceState.getUvarint();
            dropped.getUvarint();
            dropped.getUvarint();
            dropped.getUvarint();
            group.getUvarint();
            group.getUvarint();
            Attributes.skip(attrs);
            skipEvents(events);
            skipLinks(links);
          }
          continue;
        }
        Span.Builder[] spans = new Span.Builder[n];
        ByteString[] ids = new ByteString[n];
        long[] parents = new long[n];
        ByteString[] literalParents = new ByteString[n];
        SpanGroup[] groups = new SpanGroup[n];
        ByteString traceId = ByteString.copyFrom(keys[t].toBytes());
        for (int r = 0; r < n; r++) {
          Span.Builder s = Span.newBuilder().setTraceId(traceId);
          ids[r] = ByteString.copyFrom(Attributes.getBytes(spanId));
          s.setSpanId(ids[r]);
          parents[r] = parent.getUvarint();
          if (parents[r] == Columns.PARENT_LITERAL) {
            literalParents[r] = ByteString.copyFrom(Attributes.getBytes(parent));
          }
          prevStart += start.getVarint();
          s.setStartTimeUnixNano(prevStart).setEndTimeUnixNano(prevStart + duration.getVarint());
          s.setName(Attributes.string(d, name.getUvarint()));
          s.setKindValue((int) kind.getVarint());
          if (status.getByte() == 1) {
            int code = (int) status.getVarint();
            s.setStatus(Status.newBuilder().setCodeValue(code).setMessage(Attributes.string(d, status.getUvarint())));
          }
          s.setFlags((int) flags.getUvarint());
          s.setTraceState(Attributes.string(d, traceState.getUvarint()));
          s.setDroppedAttributesCount((int) dropped.getUvarint());
          s.setDroppedEventsCount((int) dropped.getUvarint());
          s.setDroppedLinksCount((int) dropped.getUvarint());
          groups[r] = block.group((int) group.getUvarint(), (int) group.getUvarint());
          s.addAllAttributes(Attributes.read(attrs, d));
          readEvents(events, d, prevStart, s);
          readLinks(links, d, s);
          spans[r] = s;
        }
        List<SpanRef> refs = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
          if (parents[r] == Columns.PARENT_LITERAL) {
            spans[r].setParentSpanId(literalParents[r]);
          } else if (parents[r] >= Columns.PARENT_ROW_BASE) {
            long row = parents[r] - Columns.PARENT_ROW_BASE;
            if (row >= n) {
              throw new IllegalArgumentException("parent row " + row + " outside its trace of " + n);
            }
            spans[r].setParentSpanId(ids[(int) row]);
          }
          refs.add(new SpanRef(groups[r], spans[r].build()));
        }
        out.add(new TraceData(keys[t], refs));
      }
      return null;
    });
    for (TraceData td : out) {
      sink.accept(td.key(), td.spans());
    }
  }

  private record TraceData(TraceKey key, List<SpanRef> spans) {}

  private static void readEvents(DecodeBuffer in, String[] d, long spanStart, Span.Builder s) {
    int n = Attributes.count(in);
    for (int i = 0; i < n; i++) {
      Span.Event.Builder e = Span.Event.newBuilder().setTimeUnixNano(spanStart + in.getVarint())
          .setName(Attributes.string(d, in.getUvarint())).setDroppedAttributesCount((int) in.getUvarint());
      e.addAllAttributes(Attributes.read(in, d));
      s.addEvents(e);
    }
  }

  static void skipEvents(DecodeBuffer in) {
    int n = Attributes.count(in);
    for (int i = 0; i < n; i++) {
      in.getVarint();
      in.getUvarint();
      in.getUvarint();
      Attributes.skip(in);
    }
  }

  private static void readLinks(DecodeBuffer in, String[] d, Span.Builder s) {
    int n = Attributes.count(in);
    for (int i = 0; i < n; i++) {
      Span.Link.Builder l = Span.Link.newBuilder().setTraceId(ByteString.copyFrom(Attributes.getBytes(in)))
          .setSpanId(ByteString.copyFrom(Attributes.getBytes(in))).setTraceState(Attributes.string(d, in.getUvarint()))
          .setFlags((int) in.getUvarint()).setDroppedAttributesCount((int) in.getUvarint());
      l.addAllAttributes(Attributes.read(in, d));
      s.addLinks(l);
    }
  }

  static void skipLinks(DecodeBuffer in) {
    int n = Attributes.count(in);
    for (int i = 0; i < n; i++) {
      Attributes.skipBytes(in);
      Attributes.skipBytes(in);
      in.getUvarint();
      in.getUvarint();
      in.getUvarint();
      Attributes.skip(in);
    }
  }
}

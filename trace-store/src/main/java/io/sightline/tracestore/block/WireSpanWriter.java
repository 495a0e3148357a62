package io.sightline.tracestore.block;

import io.sightline.core.encoding.ProtoReader;
import com.google.protobuf.ByteString;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.column.Attributes;
import io.sightline.tracestore.column.StringDictionary;
import io.sightline.tracestore.model.SpanRef;
import io.sightline.tracestore.model.WireFields;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a head span from its OTLP encoding straight into the block's columns, byte for byte what
 * {@code BlockWriter.addSpan} writes for the parsed span: the framing is walked once to find the fields, then each
 * column is written from the bytes; strings are numbered by the dictionary from their bytes, and arrays, key-value lists and bytes
 * values are copied as they are. Parsing into messages first cost more than the rest of a block cut.
 *
 * <p>Span fields by number: 1 trace id, 2 span id, 3 trace state, 4 parent, 5 name, 6 kind, 7 start, 8 end,
 * 9 attributes, 10 dropped attributes, 11 events, 12 dropped events, 13 links, 14 dropped links, 15 status, 16 flags.
 * A scalar field that occurs twice keeps its last value, as protobuf does. Unknown fields are skipped, as the parsed
 * path drops them.
 */
final class WireSpanWriter {
  private final BlockWriter block;
  /** Positions (from, to) of the repeated attributes, events and links of the span being written. */
  private int[] attrs = new int[32];
  private int[] events = new int[8];
  private int[] links = new int[8];
  private int attrCount;
  private int eventCount;
  private int linkCount;

  WireSpanWriter(BlockWriter block) {
    this.block = block;
  }

  void add(SpanRef ref, Map<ByteString, Integer> rowOfSpanId) {
    byte[] b = ref.encoding();
    int spanIdFrom = -1;
    int spanIdTo = -1;
    int traceStateFrom = -1;
    int traceStateTo = -1;
    int parentFrom = -1;
    int parentTo = -1;
    int nameFrom = -1;
    int nameTo = -1;
    int statusFrom = -1;
    int statusTo = -1;
    long kind = 0;
    long start = 0;
    long end = 0;
    long droppedAttrs = 0;
    long droppedEvents = 0;
    long droppedLinks = 0;
    int flags = 0;
    attrCount = 0;
    eventCount = 0;
    linkCount = 0;
    ProtoReader c = new ProtoReader(b, 0, b.length);
    while (c.more()) {
      long tag = c.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (type == ProtoReader.LEN && isLenField(field)) {
        int len = c.length();
        int from = c.pos;
        int to = from + len;
        switch (field) {
          case 2 -> { spanIdFrom = from; spanIdTo = to; }
          case 3 -> { traceStateFrom = from; traceStateTo = to; }
          case 4 -> { parentFrom = from; parentTo = to; }
          case 5 -> { nameFrom = from; nameTo = to; }
          case 9 -> attrs = push(attrs, attrCount++, from, to);
          case 11 -> events = push(events, eventCount++, from, to);
          case 13 -> links = push(links, linkCount++, from, to);
          case 15 -> { statusFrom = from; statusTo = to; }
          default -> { } // 1, the trace id: the block's trace column holds it
        }
        c.pos = to;
      } else if (type == ProtoReader.VARINT && (field == 6 || field == 10 || field == 12 || field == 14)) {
        long v = c.varint();
        switch (field) {
          case 6 -> kind = (int) v;
          case 10 -> droppedAttrs = v & 0xFFFFFFFFL;
          case 12 -> droppedEvents = v & 0xFFFFFFFFL;
          default -> droppedLinks = v & 0xFFFFFFFFL;
        }
      } else if (type == ProtoReader.FIXED64 && (field == 7 || field == 8)) {
        long v = c.fixed64();
        if (field == 7) {
          start = v;
        } else {
          end = v;
        }
      } else if (type == ProtoReader.FIXED32 && field == 16) {
        flags = c.fixed32();
      } else {
        c.skip(type);
      }
    }

    StringDictionary dict = block.dict();
    Attributes.putBytes(block.column(Columns.SPAN_ID), copy(b, spanIdFrom, spanIdTo));
    EncodeBuffer parentCol = block.column(Columns.PARENT);
    if (parentFrom < 0 || parentTo == parentFrom) {
      parentCol.putUvarint(Columns.PARENT_NONE);
    } else {
      Integer row = rowOfSpanId == null ? null
          : rowOfSpanId.get(ByteString.copyFrom(b, parentFrom, parentTo - parentFrom));
      if (row != null) {
        parentCol.putUvarint(Columns.PARENT_ROW_BASE + row);
      } else {
        Attributes.putBytes(parentCol.putUvarint(Columns.PARENT_LITERAL), copy(b, parentFrom, parentTo));
      }
    }
    block.spanTimes(start, end);
    int nameId = id(dict, b, nameFrom, nameTo);
    block.column(Columns.NAME).putUvarint(nameId);
    block.column(Columns.KIND).putVarint(kind);
    EncodeBuffer status = block.column(Columns.STATUS);
    if (statusFrom >= 0) {
      writeStatus(b, statusFrom, statusTo, status, dict);
    } else {
      status.putByte(0);
    }
    block.column(Columns.FLAGS).putUvarint(Integer.toUnsignedLong(flags));
    block.column(Columns.TRACE_STATE).putUvarint(id(dict, b, traceStateFrom, traceStateTo));
    block.column(Columns.DROPPED).putUvarint(droppedAttrs).putUvarint(droppedEvents).putUvarint(droppedLinks);
    int[] ids = block.groupIds(ref.group());
    block.column(Columns.GROUP).putUvarint(ids[0]).putUvarint(ids[1]);
    block.operation(new Operations.Entry(block.serviceOf(ids[0]), dict.string(nameId), (int) kind));
    writeAttributes(b, attrs, attrCount, block.column(Columns.ATTRS), AttributeScope.SPAN);

    EncodeBuffer ev = block.column(Columns.EVENTS).putUvarint(eventCount);
    for (int e = 0; e < eventCount; e++) { // an event's own attributes reuse attrs, which the span is done with
      writeEvent(b, events[2 * e], events[2 * e + 1], start, ev, dict);
    }
    EncodeBuffer ln = block.column(Columns.LINKS).putUvarint(linkCount);
    for (int l = 0; l < linkCount; l++) {
      writeLink(b, links[2 * l], links[2 * l + 1], ln, dict);
    }
    block.rowDone();
  }

  private static boolean isLenField(int field) {
    return field == 1 || field == 2 || field == 3 || field == 4 || field == 5 || field == 9 || field == 11
        || field == 13 || field == 15;
  }

  /** Status: 2 message, 3 code; written as the parsed path writes a span that has a status. */
  private static void writeStatus(byte[] b, int from, int to, EncodeBuffer out, StringDictionary dict) {
    int messageFrom = -1;
    int messageTo = -1;
    long code = 0;
    ProtoReader c = new ProtoReader(b, from, to);
    while (c.more()) {
      long tag = c.varint();
      if (tag == ((2 << 3) | ProtoReader.LEN)) {
        int len = c.length();
        messageFrom = c.pos;
        messageTo = c.pos + len;
        c.pos = messageTo;
      } else if (tag == ((3 << 3) | ProtoReader.VARINT)) {
        code = (int) c.varint();
      } else {
        c.skip((int) (tag & 7));
      }
    }
    out.putByte(1).putVarint(code).putUvarint(id(dict, b, messageFrom, messageTo));
  }

  /** Event: 1 time, 2 name, 3 attributes, 4 dropped attributes. */
  private void writeEvent(byte[] b, int from, int to, long spanStart, EncodeBuffer out, StringDictionary dict) {
    long time = 0;
    int nameFrom = -1;
    int nameTo = -1;
    long dropped = 0;
    attrCount = 0;
    ProtoReader c = new ProtoReader(b, from, to);
    while (c.more()) {
      long tag = c.varint();
      if (tag == ((1 << 3) | ProtoReader.FIXED64)) {
        time = c.fixed64();
      } else if (tag == ((2 << 3) | ProtoReader.LEN)) {
        int len = c.length();
        nameFrom = c.pos;
        nameTo = c.pos + len;
        c.pos = nameTo;
      } else if (tag == ((3 << 3) | ProtoReader.LEN)) {
        int len = c.length();
        attrs = push(attrs, attrCount++, c.pos, c.pos + len);
        c.pos += len;
      } else if (tag == ((4 << 3) | ProtoReader.VARINT)) {
        dropped = c.varint() & 0xFFFFFFFFL;
      } else {
        c.skip((int) (tag & 7));
      }
    }
    out.putVarint(time - spanStart).putUvarint(id(dict, b, nameFrom, nameTo)).putUvarint(dropped);
    writeAttributes(b, attrs, attrCount, out, AttributeScope.EVENT);
  }

  /** Link: 1 trace id, 2 span id, 3 trace state, 4 attributes, 5 dropped attributes, 6 flags. */
  private void writeLink(byte[] b, int from, int to, EncodeBuffer out, StringDictionary dict) {
    int traceFrom = -1;
    int traceTo = -1;
    int spanFrom = -1;
    int spanTo = -1;
    int stateFrom = -1;
    int stateTo = -1;
    long dropped = 0;
    int flags = 0;
    attrCount = 0;
    ProtoReader c = new ProtoReader(b, from, to);
    while (c.more()) {
      long tag = c.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (type == ProtoReader.LEN && field >= 1 && field <= 4) {
        int len = c.length();
        int f = c.pos;
        int t = f + len;
        switch (field) {
          case 1 -> { traceFrom = f; traceTo = t; }
          case 2 -> { spanFrom = f; spanTo = t; }
          case 3 -> { stateFrom = f; stateTo = t; }
          default -> attrs = push(attrs, attrCount++, f, t);
        }
        c.pos = t;
      } else if (type == ProtoReader.VARINT && field == 5) {
        dropped = c.varint() & 0xFFFFFFFFL;
      } else if (type == ProtoReader.FIXED32 && field == 6) {
        flags = c.fixed32();
      } else {
        c.skip(type);
      }
    }
    Attributes.putBytes(out, copy(b, traceFrom, traceTo));
    Attributes.putBytes(out, copy(b, spanFrom, spanTo));
    out.putUvarint(id(dict, b, stateFrom, stateTo)).putUvarint(Integer.toUnsignedLong(flags))
        .putUvarint(dropped);
    writeAttributes(b, attrs, attrCount, out, AttributeScope.LINK);
  }

  /**
   * A list of KeyValue encodings (1 key, 2 value) in the format of {@link Attributes#write}, and each value into the
   * block's tag summary under its scope.
   */
  private void writeAttributes(byte[] b, int[] positions, int count, EncodeBuffer out, AttributeScope scope) {
    StringDictionary dict = block.dict();
    TagSummary tags = block.tags();
    out.putUvarint(count);
    for (int a = 0; a < count; a++) {
      int[] at = WireFields.keyValue(b, positions[2 * a], positions[2 * a + 1]);
      int valueFrom = at[2];
      int valueTo = at[3];
      int keyId = id(dict, b, at[0], at[1]);
      String key = dict.string(keyId);
      out.putUvarint(keyId);
      if (valueFrom < 0) {
        out.putByte(Attributes.NONE);
        tags.addEncoded(scope, key, b, 0, 0); // a KeyValue without a value reads as the empty AnyValue
      } else {
        writeValue(b, valueFrom, valueTo, out, dict);
        tags.addEncoded(scope, key, b, valueFrom, valueTo - valueFrom);
      }
    }
  }

  /** AnyValue: 1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes; the last one set wins (a oneof). */
  private static void writeValue(byte[] b, int from, int to, EncodeBuffer out, StringDictionary dict) {
    int kind = 0;
    long scalar = 0;
    int lenFrom = -1;
    int lenTo = -1;
    ProtoReader c = new ProtoReader(b, from, to);
    while (c.more()) {
      long tag = c.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (type == ProtoReader.LEN && (field == 1 || field == 5 || field == 6 || field == 7)) {
        int len = c.length();
        kind = field;
        lenFrom = c.pos;
        lenTo = c.pos + len;
        c.pos = lenTo;
      } else if (type == ProtoReader.VARINT && (field == 2 || field == 3)) {
        kind = field;
        scalar = c.varint();
      } else if (type == ProtoReader.FIXED64 && field == 4) {
        kind = field;
        scalar = c.fixed64();
      } else {
        c.skip(type);
      }
    }
    switch (kind) {
      case 0 -> out.putByte(Attributes.EMPTY);
      case 1 -> out.putByte(Attributes.STRING).putUvarint(id(dict, b, lenFrom, lenTo));
      case 2 -> out.putByte(scalar != 0 ? Attributes.TRUE : Attributes.FALSE);
      case 3 -> out.putByte(Attributes.INT).putVarint(scalar);
      case 4 -> out.putByte(Attributes.DOUBLE).putLongBE(scalar);
      case 5 -> Attributes.putBytes(out.putByte(Attributes.ARRAY), copy(b, lenFrom, lenTo));
      case 6 -> Attributes.putBytes(out.putByte(Attributes.KVLIST), copy(b, lenFrom, lenTo));
      default -> Attributes.putBytes(out.putByte(Attributes.BYTES), copy(b, lenFrom, lenTo));
    }
  }

  private static int[] push(int[] positions, int index, int from, int to) {
    if (2 * index + 2 > positions.length) {
      positions = Arrays.copyOf(positions, positions.length * 2);
    }
    positions[2 * index] = from;
    positions[2 * index + 1] = to;
    return positions;
  }

  /** The dictionary id of the string {@code b[from, to)}; an absent field ({@code from < 0}) is the empty string. */
  private static int id(StringDictionary dict, byte[] b, int from, int to) {
    return from < 0 ? dict.id(b, 0, 0) : dict.id(b, from, to);
  }

  private static byte[] copy(byte[] b, int from, int to) {
    return from < 0 ? new byte[0] : Arrays.copyOfRange(b, from, to);
  }
}

package io.sightline.collector.generator.spans;

import io.sightline.core.encoding.ProtoReader;
import java.util.Arrays;

/**
 * One OTLP {@code ResourceSpans} encoding, indexed in a single pass for the metrics generator: where its resource
 * attributes and, for every span, the fields the generator reads lie in the bytes. No message is built.
 *
 * <p>Reading spans this way instead of from parsed messages is what keeps the generator cheap: a parsed span's
 * attributes are a dozen objects spread over the heap, cold by the time the store has committed the batch, while an
 * encoding is a few contiguous cache lines. Protobuf's rules are kept: a scalar field set twice keeps its last value,
 * a message field set twice is merged, unknown fields are skipped. Malformed bytes throw
 * {@link IllegalArgumentException}.
 */
public final class WireResource {
  // Per span, SPAN_INTS ints: where the span and its fields lie (from, to; -1 when absent), its kind and status code,
  // and which entries of the attribute table are its attributes.
  static final int FROM = 0;
  static final int TO = 1;
  static final int TRACE_ID = 2;
  static final int SPAN_ID = 4;
  static final int PARENT = 6;
  static final int NAME = 8;
  static final int KIND = 10;
  static final int STATUS_CODE = 11;
  static final int STATUS_MESSAGE = 12;
  static final int ATTRS_FIRST = 14;
  static final int ATTRS_COUNT = 15;
  static final int SPAN_INTS = 16;

  final byte[] b;
  int[] spans = new int[8 * SPAN_INTS];
  long[] times = new long[16];
  int spanCount;
  /** Four ints per KeyValue: key from, key to, value from, value to; the resource's come first. */
  int[] attributes = new int[64];
  int attributeCount;
  private final WireAttributes resource;

  private WireResource(byte[] b, int from, int to) {
    this.b = b;
    readResources(from, to);
    int resourceAttributes = attributeCount;
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(2)) { // scope_spans
        int len = r.length();
        readScope(r.pos, r.pos + len);
        r.pos += len;
      } else {
        r.skip((int) (tag & 7));
      }
    }
    // After the spans: their attributes may have grown the table this view reads.
    this.resource = new WireAttributes(b, attributes, 0, resourceAttributes);
  }

  /** Indexes the ResourceSpans encoded in {@code encoding}. */
  public static WireResource read(byte[] encoding) {
    return new WireResource(encoding, 0, encoding.length);
  }

  /** The resource's attributes. */
  public WireAttributes resource() {
    return resource;
  }

  public int spanCount() {
    return spanCount;
  }

  /** A view of span {@code i}; the view can be moved to another span with {@link WireSpan#at}. */
  public WireSpan span(int i) {
    return new WireSpan(this).at(i);
  }

  /** Keeps only the spans whose end time {@code keep} accepts; returns how many it dropped. */
  public int retainEnds(java.util.function.LongPredicate keep) {
    int kept = 0;
    for (int i = 0; i < spanCount; i++) {
      if (keep.test(times[2 * i + 1])) {
        if (kept != i) {
          System.arraycopy(spans, i * SPAN_INTS, spans, kept * SPAN_INTS, SPAN_INTS);
          times[2 * kept] = times[2 * i];
          times[2 * kept + 1] = times[2 * i + 1];
        }
        kept++;
      }
    }
    int dropped = spanCount - kept;
    spanCount = kept;
    return dropped;
  }

  /** Field 1, resource (a Resource: field 1, attributes), wherever and however often it occurs: merged. */
  private void readResources(int from, int to) {
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(1)) {
        int len = r.length();
        ProtoReader res = new ProtoReader(b, r.pos, r.pos + len);
        while (res.more()) {
          long t = res.varint();
          if (t == ProtoReader.lenTag(1)) {
            int l = res.length();
            addAttribute(res.pos, res.pos + l);
            res.pos += l;
          } else {
            res.skip((int) (t & 7));
          }
        }
        r.pos += len;
      } else {
        r.skip((int) (tag & 7));
      }
    }
  }

  /** A ScopeSpans: field 2, its spans. */
  private void readScope(int from, int to) {
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(2)) {
        int len = r.length();
        readSpan(r.pos, r.pos + len);
        r.pos += len;
      } else {
        r.skip((int) (tag & 7));
      }
    }
  }

  /** Span fields: 1 trace id, 2 span id, 4 parent, 5 name, 6 kind, 7 start, 8 end, 9 attributes, 15 status. */
  private void readSpan(int from, int to) {
    if ((spanCount + 1) * SPAN_INTS > spans.length) {
      spans = Arrays.copyOf(spans, spans.length * 2);
      times = Arrays.copyOf(times, times.length * 2);
    }
    int s = spanCount * SPAN_INTS;
    Arrays.fill(spans, s, s + SPAN_INTS, -1);
    spans[s + FROM] = from;
    spans[s + TO] = to;
    spans[s + KIND] = 0;
    spans[s + STATUS_CODE] = 0;
    spans[s + ATTRS_FIRST] = attributeCount;
    long start = 0;
    long end = 0;
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      long tag = r.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      if (type == ProtoReader.LEN && (field == 1 || field == 2 || field == 4 || field == 5 || field == 9
          || field == 15)) {
        int len = r.length();
        int f = r.pos;
        int t = f + len;
        switch (field) {
          case 1 -> { spans[s + TRACE_ID] = f; spans[s + TRACE_ID + 1] = t; }
          case 2 -> { spans[s + SPAN_ID] = f; spans[s + SPAN_ID + 1] = t; }
          case 4 -> { spans[s + PARENT] = f; spans[s + PARENT + 1] = t; }
          case 5 -> { spans[s + NAME] = f; spans[s + NAME + 1] = t; }
          case 9 -> addAttribute(f, t);
          default -> readStatus(s, f, t);
        }
        r.pos = t;
      } else if (type == ProtoReader.VARINT && field == 6) {
        spans[s + KIND] = (int) r.varint();
      } else if (type == ProtoReader.FIXED64 && field == 7) {
        start = r.fixed64();
      } else if (type == ProtoReader.FIXED64 && field == 8) {
        end = r.fixed64();
      } else {
        r.skip(type);
      }
    }
    spans[s + ATTRS_COUNT] = attributeCount - spans[s + ATTRS_FIRST];
    times[2 * spanCount] = start;
    times[2 * spanCount + 1] = end;
    spanCount++;
  }

  /** Status: 2 message, 3 code. */
  private void readStatus(int s, int from, int to) {
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(2)) {
        int len = r.length();
        spans[s + STATUS_MESSAGE] = r.pos;
        spans[s + STATUS_MESSAGE + 1] = r.pos + len;
        r.pos += len;
      } else if (tag == (3 << 3 | ProtoReader.VARINT)) {
        spans[s + STATUS_CODE] = (int) r.varint();
      } else {
        r.skip((int) (tag & 7));
      }
    }
  }

  private void addAttribute(int from, int to) {
    if (4 * (attributeCount + 1) > attributes.length) {
      attributes = Arrays.copyOf(attributes, attributes.length * 2);
    }
    keyValue(b, from, to, attributes, 4 * attributeCount);
    attributeCount++;
  }

  /** Where the key (field 1) and value (field 2) of the KeyValue in {@code b[from, to)} lie, into {@code out[at..]}. */
  static void keyValue(byte[] b, int from, int to, int[] out, int at) {
    Arrays.fill(out, at, at + 4, -1);
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(1) || tag == ProtoReader.lenTag(2)) {
        int len = r.length();
        int i = at + (tag >>> 3 == 1 ? 0 : 2);
        out[i] = r.pos;
        out[i + 1] = r.pos + len;
        r.pos += len;
      } else {
        r.skip((int) (tag & 7));
      }
    }
  }
}

package io.sightline.tracestore.head;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.sightline.core.encoding.EncodeBuffer;
import io.sightline.core.encoding.ProtoReader;
import io.sightline.tracestore.model.SpanGroup;
import io.sightline.tracestore.model.TraceKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what the head needs of a {@code ResourceSpans} encoding by walking its framing: each scope's group (the
 * resource and the scope without their spans, the only messages built) and, for each span, its own encoding (copied
 * once), its trace key and its start and end. No span is parsed.
 *
 * <p>Protobuf's rules hold: a span field set twice keeps its last value; the group messages are parsed from the
 * fields that make them (resource and schema_url; scope and schema_url), so repeated or unknown fields inside them
 * read as protobuf reads them.
 */
final class WireSpans {
  /** The spans of one scope of the resource. */
  record Scope(SpanGroup group, TraceKey[] keys, byte[][] encoded, long[] starts, long[] ends) {}

  private WireSpans() {}

  /**
   * The scopes of the encoded resource that hold spans, in order.
   *
   * @throws IllegalArgumentException when the framing is malformed or a span's trace id is not 16 bytes
   */
  static List<Scope> read(byte[] encoding) {
    EncodeBuffer resourceFields = new EncodeBuffer(64);
    List<int[]> scopes = new ArrayList<>();
    ProtoReader r = new ProtoReader(encoding, 0, encoding.length);
    while (r.more()) {
      int tagAt = r.pos;
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(2)) {
        int len = r.length();
        scopes.add(new int[] {r.pos, r.pos + len});
        r.pos += len;
      } else {
        r.skip((int) (tag & 7));
        if (tag == ProtoReader.lenTag(1) || tag == ProtoReader.lenTag(3)) {
          resourceFields.putBytes(encoding, tagAt, r.pos - tagAt);
        }
      }
    }
    ResourceSpans resource = parse(resourceFields, true).resource;
    List<Scope> out = new ArrayList<>(scopes.size());
    for (int[] at : scopes) {
      Scope scope = scope(encoding, at[0], at[1], resource);
      if (scope != null) {
        out.add(scope);
      }
    }
    return out;
  }

  private static Scope scope(byte[] b, int from, int to, ResourceSpans resource) {
    EncodeBuffer scopeFields = new EncodeBuffer(32);
    List<int[]> spans = new ArrayList<>();
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      int tagAt = r.pos;
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(2)) {
        int len = r.length();
        spans.add(new int[] {r.pos, r.pos + len});
        r.pos += len;
      } else {
        r.skip((int) (tag & 7));
        if (tag == ProtoReader.lenTag(1) || tag == ProtoReader.lenTag(3)) {
          scopeFields.putBytes(b, tagAt, r.pos - tagAt);
        }
      }
    }
    if (spans.isEmpty()) {
      return null;
    }
    SpanGroup group = new SpanGroup(resource, parse(scopeFields, false).scope);
    int n = spans.size();
    TraceKey[] keys = new TraceKey[n];
    byte[][] encoded = new byte[n][];
    long[] starts = new long[n];
    long[] ends = new long[n];
    for (int i = 0; i < n; i++) {
      int[] at = spans.get(i);
      encoded[i] = Arrays.copyOfRange(b, at[0], at[1]);
      span(encoded[i], i, keys, starts, ends);
    }
    return new Scope(group, keys, encoded, starts, ends);
  }

  /** Span fields 1 (trace id), 7 (start) and 8 (end), the last occurrence of each. */
  private static void span(byte[] span, int i, TraceKey[] keys, long[] starts, long[] ends) {
    int traceFrom = -1;
    int traceTo = -1;
    ProtoReader r = new ProtoReader(span, 0, span.length);
    while (r.more()) {
      long tag = r.varint();
      if (tag == ProtoReader.lenTag(1)) {
        int len = r.length();
        traceFrom = r.pos;
        traceTo = r.pos + len;
        r.pos = traceTo;
      } else if (tag == (7 << 3 | ProtoReader.FIXED64)) {
        starts[i] = r.fixed64();
      } else if (tag == (8 << 3 | ProtoReader.FIXED64)) {
        ends[i] = r.fixed64();
      } else {
        r.skip((int) (tag & 7));
      }
    }
    int length = traceFrom < 0 ? 0 : traceTo - traceFrom;
    if (length != TraceKey.LENGTH) {
      throw new IllegalArgumentException("trace id of " + length + " bytes; OTLP trace ids are 16 bytes");
    }
    keys[i] = new TraceKey(TraceKey.readLong(span, traceFrom), TraceKey.readLong(span, traceFrom + 8));
  }

  /** The group messages, parsed from just the fields that make them. */
  private record Group(ResourceSpans resource, ScopeSpans scope) {}

  private static Group parse(EncodeBuffer fields, boolean resource) {
    byte[] bytes = fields.toByteArray();
    try {
      return resource ? new Group(ResourceSpans.parseFrom(bytes), null) : new Group(null, ScopeSpans.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed resource or scope: " + e.getMessage(), e);
    }
  }
}

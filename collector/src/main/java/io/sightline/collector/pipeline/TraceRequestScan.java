package io.sightline.collector.pipeline;

import com.google.protobuf.UnsafeByteOperations;
import io.sightline.core.encoding.ProtoReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks an {@code ExportTraceServiceRequest} encoding without building its messages, and cuts it into the encodings
 * of its resources: so that a request the pipeline only stores is never parsed into objects (their construction was
 * a fifth of the server's CPU per span, and most of its garbage).
 *
 * <p>The scan accepts only what it fully understands: every field of the OTLP trace schema with the wire type the
 * schema gives it, strings that are valid UTF-8, messages nested at most {@link #MAX_DEPTH} deep. Then
 * protobuf-java would parse the request too. On anything else (an unknown or newer field, a wrong wire type, a
 * malformed varint or length, bad UTF-8) it returns null and the caller parses the request the ordinary way, which
 * either reads it, with the unknown fields, or fails with protobuf's own error. So the scan never changes what is
 * accepted or how a refusal reads; it only decides who does the work.
 */
final class TraceRequestScan {
  /**
   * The deepest message nesting the scan follows, below protobuf's recursion limit of 100 (which the receiver's parser
   * has too): attribute values nest (arrays and maps of values), the rest of the schema is five levels deep.
   */
  static final int MAX_DEPTH = 90;
  /** The nesting of an attribute's KeyValue, taken as its deepest place (an event's or a link's attribute). */
  private static final int ATTRIBUTE_DEPTH = 5;

  private final byte[] b;
  private int spans;

  private TraceRequestScan(byte[] b) {
    this.b = b;
  }

  /** The request's resources, each as its own copy of its encoding, and the span count; null to parse instead. */
  static Result scan(byte[] request) {
    try {
      return new TraceRequestScan(request).request();
    } catch (Unsupported | IllegalArgumentException e) {
      return null;
    }
  }

  record Result(List<byte[]> resources, int spanCount) {}

  /** Thrown for anything the scan leaves to protobuf; no stack trace, it is control flow. */
  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  private Result request() {
    List<byte[]> resources = new ArrayList<>();
    ProtoReader r = new ProtoReader(b, 0, b.length);
    while (r.more()) {
      int from = lenField(r, 1);
      int to = r.pos;
      resourceSpans(from, to);
      resources.add(Arrays.copyOfRange(b, from, to));
    }
    return new Result(resources, spans);
  }

  /** Reads a tag that must be {@code number} (and no other), length-delimited; returns where its body starts. */
  private static int lenField(ProtoReader r, int number) {
    if (tag(r) != ProtoReader.lenTag(number)) {
      throw UNSUPPORTED;
    }
    int len = r.length();
    int from = r.pos;
    r.pos += len;
    return from;
  }

  private void resourceSpans(int from, int to) {
    ProtoReader r = new ProtoReader(b, from, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN -> resource(r, body(r));
        case 2 << 3 | ProtoReader.LEN -> scopeSpans(r, body(r));
        case 3 << 3 | ProtoReader.LEN -> string(r);
        default -> throw UNSUPPORTED;
      }
    }
  }

  /** A tag; one past 32 bits is left to protobuf. */
  private static int tag(ProtoReader r) {
    long tag = r.varint();
    if (tag > Integer.MAX_VALUE) {
      throw UNSUPPORTED;
    }
    return (int) tag;
  }

  /** Skips a length-delimited body; returns its end, with {@code r.pos} at its start. */
  private static int body(ProtoReader r) {
    int len = r.length();
    return r.pos + len;
  }

  private void resource(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN -> keyValue(r, body(r), ATTRIBUTE_DEPTH);
        case 2 << 3 | ProtoReader.VARINT -> r.varint();
        case 3 << 3 | ProtoReader.LEN -> entityRef(r, body(r));
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  /** EntityRef: 1 schema_url, 2 type, 3 id_keys, 4 description_keys, all strings. */
  private void entityRef(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      int tag = tag(r);
      if (tag < (1 << 3) || tag > (4 << 3 | ProtoReader.LEN) || (tag & 7) != ProtoReader.LEN) {
        throw UNSUPPORTED;
      }
      string(r);
    }
    outer.pos = to;
  }

  private void scopeSpans(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN -> scope(r, body(r));
        case 2 << 3 | ProtoReader.LEN -> span(r, body(r));
        case 3 << 3 | ProtoReader.LEN -> string(r);
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  private void scope(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN, 2 << 3 | ProtoReader.LEN -> string(r);
        case 3 << 3 | ProtoReader.LEN -> keyValue(r, body(r), ATTRIBUTE_DEPTH);
        case 4 << 3 | ProtoReader.VARINT -> r.varint();
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  private void span(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN, 2 << 3 | ProtoReader.LEN, 4 << 3 | ProtoReader.LEN -> r.pos = body(r);
        case 3 << 3 | ProtoReader.LEN, 5 << 3 | ProtoReader.LEN -> string(r);
        case 6 << 3 | ProtoReader.VARINT, 10 << 3 | ProtoReader.VARINT, 12 << 3 | ProtoReader.VARINT,
            14 << 3 | ProtoReader.VARINT -> r.varint();
        case 7 << 3 | ProtoReader.FIXED64, 8 << 3 | ProtoReader.FIXED64 -> r.fixed64();
        case 9 << 3 | ProtoReader.LEN -> keyValue(r, body(r), ATTRIBUTE_DEPTH);
        case 11 << 3 | ProtoReader.LEN -> event(r, body(r));
        case 13 << 3 | ProtoReader.LEN -> link(r, body(r));
        case 15 << 3 | ProtoReader.LEN -> status(r, body(r));
        case 16 << 3 | ProtoReader.FIXED32 -> r.fixed32();
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
    spans++;
  }

  private void event(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.FIXED64 -> r.fixed64();
        case 2 << 3 | ProtoReader.LEN -> string(r);
        case 3 << 3 | ProtoReader.LEN -> keyValue(r, body(r), ATTRIBUTE_DEPTH);
        case 4 << 3 | ProtoReader.VARINT -> r.varint();
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  private void link(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN, 2 << 3 | ProtoReader.LEN -> r.pos = body(r);
        case 3 << 3 | ProtoReader.LEN -> string(r);
        case 4 << 3 | ProtoReader.LEN -> keyValue(r, body(r), ATTRIBUTE_DEPTH);
        case 5 << 3 | ProtoReader.VARINT -> r.varint();
        case 6 << 3 | ProtoReader.FIXED32 -> r.fixed32();
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  private void status(ProtoReader outer, int to) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 2 << 3 | ProtoReader.LEN -> string(r);
        case 3 << 3 | ProtoReader.VARINT -> r.varint();
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  /** A KeyValue at message depth {@code depth}. */
  private void keyValue(ProtoReader outer, int to, int depth) {
    if (depth > MAX_DEPTH) {
      throw UNSUPPORTED;
    }
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN -> string(r);
        case 2 << 3 | ProtoReader.LEN -> anyValue(r, body(r), depth + 1);
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  private void anyValue(ProtoReader outer, int to, int depth) {
    if (depth > MAX_DEPTH) {
      throw UNSUPPORTED;
    }
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      switch (tag(r)) {
        case 1 << 3 | ProtoReader.LEN -> string(r);
        case 2 << 3 | ProtoReader.VARINT, 3 << 3 | ProtoReader.VARINT -> r.varint();
        case 4 << 3 | ProtoReader.FIXED64 -> r.fixed64();
        case 5 << 3 | ProtoReader.LEN -> arrayValue(r, body(r), depth + 1);
        case 6 << 3 | ProtoReader.LEN -> keyValueList(r, body(r), depth + 1);
        case 7 << 3 | ProtoReader.LEN -> r.pos = body(r);
        default -> throw UNSUPPORTED;
      }
    }
    outer.pos = to;
  }

  private void arrayValue(ProtoReader outer, int to, int depth) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      if (tag(r) != ProtoReader.lenTag(1)) {
        throw UNSUPPORTED;
      }
      anyValue(r, body(r), depth + 1);
    }
    outer.pos = to;
  }

  private void keyValueList(ProtoReader outer, int to, int depth) {
    ProtoReader r = new ProtoReader(b, outer.pos, to);
    while (r.more()) {
      if (tag(r) != ProtoReader.lenTag(1)) {
        throw UNSUPPORTED;
      }
      keyValue(r, body(r), depth + 1);
    }
    outer.pos = to;
  }

  /** A proto3 string: protobuf-java refuses one that is not valid UTF-8. */
  private void string(ProtoReader r) {
    int len = r.length();
    int from = r.pos;
    int to = from + len;
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        if (!UnsafeByteOperations.unsafeWrap(b, i, to - i).isValidUtf8()) {
          throw UNSUPPORTED;
        }
        break;
      }
    }
    r.pos = to;
  }
}

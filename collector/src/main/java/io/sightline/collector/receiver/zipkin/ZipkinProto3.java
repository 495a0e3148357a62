package io.sightline.collector.receiver.zipkin;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads zipkin.proto's {@code ListOfSpans} straight off the wire (no generated classes: the message is small and
 * stable). Field numbers, from openzipkin/zipkin-api {@code zipkin.proto}:
 *
 * <pre>
 * ListOfSpans { repeated Span spans = 1; }
 * Span        { bytes trace_id = 1; bytes parent_id = 2; bytes id = 3; Kind kind = 4; string name = 5;
 *               fixed64 timestamp = 6; uint64 duration = 7; Endpoint local_endpoint = 8;
 *               Endpoint remote_endpoint = 9; repeated Annotation annotations = 10;
 *               map&lt;string, string&gt; tags = 11; bool debug = 12; bool shared = 13; }
 * Endpoint    { string service_name = 1; bytes ipv4 = 2; bytes ipv6 = 3; int32 port = 4; }
 * Annotation  { fixed64 timestamp = 1; string value = 2; }
 * Kind        { SPAN_KIND_UNSPECIFIED = 0; CLIENT = 1; SERVER = 2; PRODUCER = 3; CONSUMER = 4; }
 * </pre>
 *
 * Ids are 8 or 16 bytes (trace) and 8 bytes (span), as zipkin-go requires; unknown fields are skipped.
 */
final class ZipkinProto3 {
  private static final String READING = " reading List<Span> from proto3";
  private static final String[] KINDS = {null, "CLIENT", "SERVER", "PRODUCER", "CONSUMER"};

  private ZipkinProto3() {}

  static List<ZipkinSpan> decode(byte[] body) throws ZipkinFormatException {
    if (body.length == 0) {
      throw new ZipkinFormatException("Empty input" + READING);
    }
    List<ZipkinSpan> spans = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(body);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != (1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
          skip(in, tag);
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        spans.add(span(in, spans.size()));
        in.popLimit(limit);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new ZipkinFormatException("Malformed" + READING + ": " + e.getMessage());
    } catch (IOException e) {
      throw new ZipkinFormatException("Malformed" + READING + ": " + e.getMessage());
    }
    return spans;
  }

  private static ZipkinSpan span(CodedInputStream in, int index) throws IOException, ZipkinFormatException {
    byte[] traceId = new byte[0];
    byte[] parentId = new byte[0];
    byte[] id = new byte[0];
    String kind = null;
    String name = "";
    long timestamp = 0;
    long duration = 0;
    ZipkinSpan.Endpoint local = null;
    ZipkinSpan.Endpoint remote = null;
    List<ZipkinSpan.Annotation> annotations = new ArrayList<>();
    Map<String, String> tags = new LinkedHashMap<>();
    boolean debug = false;
    boolean shared = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> traceId = in.readByteArray();
        case 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> parentId = in.readByteArray();
        case 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> id = in.readByteArray();
        case 4 << 3 | WireFormat.WIRETYPE_VARINT -> {
          int k = in.readEnum();
          kind = k >= 0 && k < KINDS.length ? KINDS[k] : null;
        }
        case 5 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> name = in.readStringRequireUtf8();
        case 6 << 3 | WireFormat.WIRETYPE_FIXED64 -> timestamp = in.readFixed64();
        case 7 << 3 | WireFormat.WIRETYPE_VARINT -> duration = in.readUInt64();
        case 8 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> local = endpoint(in, index);
        case 9 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> remote = endpoint(in, index);
        case 10 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> annotations.add(annotation(in, index));
        case 11 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> tag(in, tags);
        case 12 << 3 | WireFormat.WIRETYPE_VARINT -> debug = in.readBool();
        case 13 << 3 | WireFormat.WIRETYPE_VARINT -> shared = in.readBool();
        default -> skip(in, tag);
      }
    }
    long high;
    long low;
    if (traceId.length == 16) {
      high = longAt(traceId, 0);
      low = longAt(traceId, 8);
    } else if (traceId.length == 8) {
      high = 0;
      low = longAt(traceId, 0);
    } else {
      throw problem("invalid TraceID, has length " + traceId.length, index);
    }
    if (high == 0 && low == 0) {
      throw problem("valid traceId required", index);
    }
    if (id.length != 8) {
      throw problem("invalid SpanID, has length " + id.length, index);
    }
    long spanId = longAt(id, 0);
    if (spanId == 0) {
      throw problem("valid span id required", index);
    }
    long parent = 0;
    if (parentId.length != 0) {
      if (parentId.length != 8) {
        throw problem("invalid ParentID, has length " + parentId.length, index);
      }
      parent = longAt(parentId, 0);
    }
    if (duration < 0) {
      throw problem("duration is too large", index);
    }
    if (timestamp < 0) {
      throw problem("timestamp is too large", index);
    }
    return new ZipkinSpan(high, low, spanId, parent, kind, name, timestamp, duration, local, remote,
        List.copyOf(annotations), tags, debug, shared);
  }

  private static ZipkinSpan.Endpoint endpoint(CodedInputStream in, int index)
      throws IOException, ZipkinFormatException {
    int limit = in.pushLimit(in.readRawVarint32());
    String serviceName = "";
    String ipv4 = null;
    String ipv6 = null;
    int port = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> serviceName = in.readStringRequireUtf8();
        case 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> ipv4 = ip(in.readByteArray(), index);
        case 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> ipv6 = ip(in.readByteArray(), index);
        case 4 << 3 | WireFormat.WIRETYPE_VARINT -> port = in.readInt32();
        default -> skip(in, tag);
      }
    }
    in.popLimit(limit);
    if (port < 0 || port > 65535) {
      throw problem("port should be a number from 0 to 65535", index);
    }
    ZipkinSpan.Endpoint e = new ZipkinSpan.Endpoint(serviceName, ipv4, ipv6, port);
    return e.isEmpty() ? null : e;
  }

  private static String ip(byte[] bytes, int index) throws ZipkinFormatException {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return IpAddresses.format(bytes);
    } catch (ZipkinFormatException e) {
      throw problem(e.getMessage(), index);
    }
  }

  private static ZipkinSpan.Annotation annotation(CodedInputStream in, int index)
      throws IOException, ZipkinFormatException {
    int limit = in.pushLimit(in.readRawVarint32());
    long timestamp = 0;
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | WireFormat.WIRETYPE_FIXED64 -> timestamp = in.readFixed64();
        case 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> value = in.readStringRequireUtf8();
        default -> skip(in, tag);
      }
    }
    in.popLimit(limit);
    if (timestamp < 1) {
      throw problem("valid annotation timestamp required", index);
    }
    return new ZipkinSpan.Annotation(timestamp, value);
  }

  /** One map entry: {@code key = 1, value = 2}; a later entry with the same key wins, as protobuf's maps do. */
  private static void tag(CodedInputStream in, Map<String, String> tags) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    String key = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> key = in.readStringRequireUtf8();
        case 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> value = in.readStringRequireUtf8();
        default -> skip(in, tag);
      }
    }
    in.popLimit(limit);
    tags.put(key, value);
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("unexpected end-group tag");
    }
  }

  private static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }

  private static ZipkinFormatException problem(String cause, int index) {
    return new ZipkinFormatException(cause + READING + " at spans[" + index + "]");
  }
}

package io.sightline.tracestore.wal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.List;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The record of the trace store's WAL and checkpoints (trace-store/FORMAT.md):
 *
 * <pre>
 *   ┌─────────────────┬──────────────────────────────────────────┐
 *   │ type <1 B> = 1  │ ResourceSpans, OTLP protobuf encoding     │
 *   └─────────────────┴──────────────────────────────────────────┘
 * </pre>
 *
 * The protobuf bytes are what the client sent, re-encoded: the one encoding every OTLP reader already has, written
 * without an intermediate copy.
 */
public final class WalRecords {
  /** The one record type; the byte leaves room for others without a new format version. */
  public static final byte RESOURCE_SPANS = 1;

  private WalRecords() {}

  public static byte[] encode(ResourceSpans rs) {
    int size = rs.getSerializedSize();
    byte[] out = new byte[1 + size];
    out[0] = RESOURCE_SPANS;
    CodedOutputStream cos = CodedOutputStream.newInstance(out, 1, size);
    try {
      rs.writeTo(cos);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing into an array of the exact size does not fail
    }
    cos.checkNoSpaceLeft();
    return out;
  }

  /**
   * The record of one append, framed around the spans' encodings that the head keeps (so that no span is encoded
   * twice): the resource, then each scope with its spans, then the resource's schema url, as protobuf-java would
   * write a ResourceSpans of those fields.
   */
  public static byte[] encode(ResourceSpans rs, List<? extends HeadEntry> scopes) {
    int size = 0;
    int[] scopeBodies = new int[scopes.size()];
    if (rs.hasResource()) {
      size += CodedOutputStream.computeMessageSize(1, rs.getResource());
    }
    for (int i = 0; i < scopes.size(); i++) {
      HeadEntry e = scopes.get(i);
      int body = 0;
      if (e.scope().hasScope()) {
        body += CodedOutputStream.computeMessageSize(1, e.scope().getScope());
      }
      for (byte[] span : e.encoded()) {
        body += CodedOutputStream.computeByteArraySize(2, span);
      }
      if (!e.scope().getSchemaUrl().isEmpty()) {
        body += CodedOutputStream.computeStringSize(3, e.scope().getSchemaUrl());
      }
      scopeBodies[i] = body;
      size += CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
    }
    if (!rs.getSchemaUrl().isEmpty()) {
      size += CodedOutputStream.computeStringSize(3, rs.getSchemaUrl());
    }
    byte[] out = new byte[1 + size];
    out[0] = RESOURCE_SPANS;
    CodedOutputStream cos = CodedOutputStream.newInstance(out, 1, size);
    try {
      if (rs.hasResource()) {
        cos.writeMessage(1, rs.getResource());
      }
      for (int i = 0; i < scopes.size(); i++) {
        HeadEntry e = scopes.get(i);
        cos.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        cos.writeUInt32NoTag(scopeBodies[i]);
        if (e.scope().hasScope()) {
          cos.writeMessage(1, e.scope().getScope());
        }
        for (byte[] span : e.encoded()) {
          cos.writeByteArray(2, span);
        }
        if (!e.scope().getSchemaUrl().isEmpty()) {
          cos.writeString(3, e.scope().getSchemaUrl());
        }
      }
      if (!rs.getSchemaUrl().isEmpty()) {
        cos.writeString(3, rs.getSchemaUrl());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing into an array of the exact size does not fail
    }
    cos.checkNoSpaceLeft();
    return out;
  }

  /** The record of a ResourceSpans given as its protobuf encoding. */
  public static byte[] encode(byte[] resourceSpans) {
    byte[] out = new byte[1 + resourceSpans.length];
    out[0] = RESOURCE_SPANS;
    System.arraycopy(resourceSpans, 0, out, 1, resourceSpans.length);
    return out;
  }

  /** One scope of an append as {@link #encode(ResourceSpans, List)} needs it. */
  public interface HeadEntry {
    ScopeSpans scope();

    byte[][] encoded();
  }

  /**
   * The spans of a record.
   *
   * @throws IOException when the record is not one of ours or does not parse (the WAL's CRC passed, so this is a bug or
   *     a file from elsewhere)
   */
  public static ResourceSpans decode(byte[] record) throws IOException {
    if (record.length == 0 || record[0] != RESOURCE_SPANS) {
      throw new IOException("unknown trace WAL record type " + (record.length == 0 ? "(empty)" : record[0]));
    }
    return ResourceSpans.parseFrom(com.google.protobuf.CodedInputStream.newInstance(record, 1, record.length - 1));
  }
}

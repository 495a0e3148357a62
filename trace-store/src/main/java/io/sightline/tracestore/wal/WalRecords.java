package io.sightline.tracestore.wal;

import com.google.protobuf.CodedOutputStream;
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

package io.sightline.tracestore.model;

import com.google.protobuf.ByteString;
import io.sightline.core.encoding.ProtoReader;

/**
 * Reads single fields out of a protobuf encoding by walking its framing: for the few fields the store needs of a span
 * it keeps encoded (its id for ordering), without parsing the span. Public for the block writer, which decodes whole
 * encoded spans into its columns the same way.
 */
public final class WireFields {
  private WireFields() {}

  /** The last occurrence of length-delimited field {@code number} (protobuf's rule for a repeated scalar), or null. */
  static ByteString bytesField(byte[] b, int number) {
    ProtoReader c = new ProtoReader(b, 0, b.length);
    ByteString found = null;
    while (c.more()) {
      long tag = c.varint();
      if ((tag >>> 3) == number && (tag & 7) == ProtoReader.LEN) {
        int len = c.length();
        found = ByteString.copyFrom(b, c.pos, len);
        c.pos += len;
      } else {
        c.skip((int) (tag & 7));
      }
    }
    return found;
  }

  /**
   * Where the key (field 1) and the value (field 2, an AnyValue) of a KeyValue encoding in {@code b[from, to)} lie:
   * {@code {keyFrom, keyTo, valueFrom, valueTo}}, -1 for one that is absent; a repeated field keeps its last.
   */
  public static int[] keyValue(byte[] b, int from, int to) {
    int[] at = {-1, -1, -1, -1};
    ProtoReader c = new ProtoReader(b, from, to);
    while (c.more()) {
      long tag = c.varint();
      if (tag == ((1 << 3) | ProtoReader.LEN) || tag == ((2 << 3) | ProtoReader.LEN)) {
        int len = c.length();
        int i = tag >>> 3 == 1 ? 0 : 2;
        at[i] = c.pos;
        at[i + 1] = c.pos + len;
        c.pos += len;
      } else {
        c.skip((int) (tag & 7));
      }
    }
    return at;
  }
}

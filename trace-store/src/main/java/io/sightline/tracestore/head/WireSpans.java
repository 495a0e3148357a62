package io.sightline.tracestore.head;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;

/**
 * Finds the encoding of each span inside the encoding of its ResourceSpans, by walking the protobuf framing only
 * (field 2 scope_spans, and in each its field 2 spans): no message is built, each span's bytes are copied once.
 */
final class WireSpans {
  /** Field 2, length-delimited: (2 << 3) | 2, in ResourceSpans (scope_spans) and in ScopeSpans (spans) alike. */
  private static final int SCOPE_SPANS = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int SPANS = SCOPE_SPANS;

  private WireSpans() {}

  /**
   * The spans' encodings by scope and span, in the message's order; null when the encoding does not hold exactly
   * the message's scopes and spans (then the caller encodes the spans itself).
   */
  static byte[][][] slice(ResourceSpans rs, byte[] encoding) {
    byte[][][] out = new byte[rs.getScopeSpansCount()][][];
    try {
      CodedInputStream in = CodedInputStream.newInstance(encoding);
      int scope = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != SCOPE_SPANS) {
          in.skipField(tag);
          continue;
        }
        if (scope >= out.length) {
          return null;
        }
        int expected = rs.getScopeSpans(scope).getSpansCount();
        byte[][] spans = new byte[expected][];
        int limit = in.pushLimit(in.readRawVarint32());
        int n = 0;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == SPANS && n < expected) {
            spans[n++] = in.readByteArray();
          } else if (t == SPANS) {
            return null;
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
        if (n != expected) {
          return null;
        }
        out[scope++] = spans;
      }
      return scope == out.length ? out : null;
    } catch (IOException e) {
      return null;
    }
  }
}

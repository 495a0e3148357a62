package io.sightline.collector.generator.servicegraph;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/**
 * Where the two halves of a call meet: the client span's (trace id, span id), which is the server span's (trace id,
 * parent span id). Well-formed ids are held as numbers; other lengths as hex, so that they still match exactly.
 *
 * @param root the span id is empty: a server span without a parent, which no client half will ever meet
 */
record EdgeKey(long traceHigh, long traceLow, long spanId, boolean root, String other) {
  static EdgeKey of(ByteString traceId, ByteString spanId) {
    boolean root = spanId.isEmpty();
    if (traceId.size() == 16 && (spanId.size() == 8 || root)) {
      return new EdgeKey(bits(traceId, 0), bits(traceId, 8), root ? 0 : bits(spanId, 0), root, null);
    }
    HexFormat hex = HexFormat.of();
    return new EdgeKey(0, 0, 0, root, hex.formatHex(traceId.toByteArray()) + "-" + hex.formatHex(spanId.toByteArray()));
  }

  private static long bits(ByteString id, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = v << 8 | (id.byteAt(i) & 0xff);
    }
    return v;
  }
}

package io.sightline.traceql.engine;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Ids as Tempo writes them: trace ids without leading zeros, span ids as 16 hex digits. */
final class Hex {
  private Hex() {}

  static String traceId(ByteString id) {
    String hex = HexFormat.of().formatHex(id.toByteArray());
    int i = 0;
    while (i < hex.length() && hex.charAt(i) == '0') {
      i++;
    }
    return hex.substring(i);
  }

  static String spanId(ByteString id) {
    String hex = traceId(id);
    return hex.length() >= 16 ? hex : "0".repeat(16 - hex.length()) + hex;
  }
}

package io.sightline.api.tempo;

/** Tempo's {@code util.HexStringToTraceID}: hex digits only, at most 128 bits, left-padded with zeros to 16 bytes. */
final class TraceIds {
  private TraceIds() {}

  static byte[] parse(String id) throws TempoApi.TempoError {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.digit(c, 16) < 0) {
        throw new TempoApi.TempoError("trace IDs can only contain hex characters: invalid character '" + c
            + "' at position " + (i + 1));
      }
    }
    String even = id.length() % 2 == 1 ? "0" + id : id;
    if (even.length() > 32) {
      throw new TempoApi.TempoError("trace IDs can't be larger than 128 bits");
    }
    return java.util.HexFormat.of().parseHex("0".repeat(32 - even.length()) + even);
  }
}

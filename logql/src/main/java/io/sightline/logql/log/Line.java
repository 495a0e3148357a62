package io.sightline.logql.log;

/**
 * The line a pipeline works on: a slice of a buffer, which stages may point elsewhere (a formatted or unpacked line).
 * Stages never write into the caller's buffer.
 */
final class Line {
  byte[] buf;
  int off;
  int len;

  void set(byte[] b, int o, int l) {
    buf = b;
    off = o;
    len = l;
  }

  void set(byte[] b) {
    set(b, 0, b.length);
  }

  byte[] copy() {
    return java.util.Arrays.copyOfRange(buf, off, off + len);
  }

  String string() {
    return new String(buf, off, len, java.nio.charset.StandardCharsets.UTF_8);
  }
}

package io.sightline.tracestore.column;

import java.nio.charset.StandardCharsets;

/**
 * Reads a column's raw bytes: the varints of {@code io.sightline.core.encoding.EncodeBuffer}, plus the bulk reads and
 * skips that walking rows needs. Any read past the end throws {@link IllegalArgumentException}, which readers turn into
 * a corrupt-block error.
 */
public final class ColumnReader {
  private final byte[] bytes;
  private int pos;
  private final int end;

  public ColumnReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  public ColumnReader(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.pos = offset;
    this.end = offset + length;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public int remaining() {
    return end - pos;
  }

  public int getByte() {
    need(1);
    return bytes[pos++] & 0xff;
  }

  public long getUvarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      byte b = bytes[pos++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  public long getVarint() {
    long u = getUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  public long getLongBE() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[pos++] & 0xff);
    }
    return v;
  }

  public int getIntBE() {
    need(4);
    int v = ((bytes[pos] & 0xff) << 24) | ((bytes[pos + 1] & 0xff) << 16) | ((bytes[pos + 2] & 0xff) << 8)
        | (bytes[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public byte[] getBytes(int n) {
    need(n);
    byte[] b = new byte[n];
    System.arraycopy(bytes, pos, b, 0, n);
    pos += n;
    return b;
  }

  public void skip(int n) {
    need(n);
    pos += n;
  }

  public String getString() {
    long n = getUvarint();
    if (n > remaining()) {
      throw new IllegalArgumentException("string of " + n + " bytes past the end");
    }
    String s = new String(bytes, pos, (int) n, StandardCharsets.UTF_8);
    pos += (int) n;
    return s;
  }

  private void need(int n) {
    if (n < 0 || pos + n > end) {
      throw new IllegalArgumentException("unexpected end of column");
    }
  }
}

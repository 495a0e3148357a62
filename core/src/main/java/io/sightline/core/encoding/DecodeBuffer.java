package io.sightline.core.encoding;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link EncodeBuffer} writes; any read past the end throws {@link IllegalArgumentException}, which the
 * stores' readers turn into a corrupt-file error.
 */
public final class DecodeBuffer {
  private final byte[] bytes;
  private int pos;
  private final int end;

  public DecodeBuffer(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  public DecodeBuffer(byte[] bytes, int offset, int length) {
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

  /** The next {@code n} bytes, copied. */
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
      throw new IllegalArgumentException("unexpected end of data");
    }
  }
}

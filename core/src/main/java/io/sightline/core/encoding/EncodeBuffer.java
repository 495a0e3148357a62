package io.sightline.core.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the encodings of Go's {@code encoding/binary} that Prometheus' formats use: unsigned
 * varints, zig-zag signed varints, big-endian fixed widths, length-prefixed strings. Reusable after {@link #reset()}.
 */
public final class EncodeBuffer {
  private byte[] bytes;
  private int size;

  public EncodeBuffer(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  public EncodeBuffer reset() {
    size = 0;
    return this;
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  public EncodeBuffer putByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
    return this;
  }

  public EncodeBuffer putUvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
    return this;
  }

  /** Zig-zag, so that small negative numbers stay small. */
  public EncodeBuffer putVarint(long v) {
    return putUvarint((v << 1) ^ (v >> 63));
  }

  public EncodeBuffer putLongBE(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      bytes[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  public EncodeBuffer putIntBE(int v) {
    ensure(4);
    bytes[size++] = (byte) (v >>> 24);
    bytes[size++] = (byte) (v >>> 16);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
    return this;
  }

  /** Little-endian, as protobuf writes {@code fixed64} and {@code double} fields. */
  public EncodeBuffer putLongLE(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      bytes[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** Appends what {@code other} holds. */
  public EncodeBuffer putBuffer(EncodeBuffer other) {
    ensure(other.size);
    System.arraycopy(other.bytes, 0, bytes, size, other.size);
    size += other.size;
    return this;
  }

  public EncodeBuffer putBytes(byte[] b) {
    return putBytes(b, 0, b.length);
  }

  public EncodeBuffer putBytes(byte[] b, int from, int length) {
    ensure(length);
    System.arraycopy(b, from, bytes, size, length);
    size += length;
    return this;
  }

  /** An unsigned-varint length, then the UTF-8 bytes. */
  public EncodeBuffer putString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    putUvarint(utf8.length);
    return putBytes(utf8);
  }

  private void ensure(int n) {
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
    }
  }
}

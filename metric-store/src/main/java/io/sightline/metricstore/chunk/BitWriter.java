package io.sightline.metricstore.chunk;

import java.util.Arrays;

/**
 * A stream of bits over a growable {@code byte[]}, most significant bit first: Prometheus' {@code bstream}
 * ({@code tsdb/chunkenc/bstream.go}), including its one visible quirk.
 *
 * <p>The quirk: writing a whole byte always appends a byte after it, and a byte-aligned {@link #writeByte} leaves that
 * new byte entirely unwritten. So a stream whose last write was a byte-aligned byte ends in one byte of zero padding
 * that holds no bits at all; a stream whose last write was a bit ends in a partly filled byte, or an exactly filled
 * one. Prometheus' chunk bytes include that padding byte, so to be byte-for-byte equal we keep the same state Go does:
 * the stream length and {@code count}, the bits still free in the last byte (0 to 8; both 0 and 8 mean "aligned", and
 * they differ in whether the padding byte is already there).
 *
 * <p>Not thread-safe. Not final: {@link XorChunk} extends it so that a head series' open chunk and its stream are one
 * object, one cache miss per appended sample instead of two (measured on remote-write ingest, where such misses are
 * most of the cost).
 */
class BitWriter {
  /** {@code binary.MaxVarintLen64}: 64 bits at 7 per byte. */
  static final int MAX_VARINT_BYTES = 10;

  private byte[] buf;
  /** Bytes in the stream, the unwritten padding byte included. */
  private int length;
  /** Bits still free in {@code buf[length - 1]}: 0 to 8. */
  private int count;

  /**
   * Continues a stream of {@code length} bytes of which the last {@code count} bits are free. {@code buf} is taken
   * over, not copied; its free bits must be zero, since writes OR into them.
   */
  BitWriter(byte[] buf, int length, int count) {
    if (length < 0 || length > buf.length || count < 0 || count > 8 || (count > 0 && length == 0)) {
      throw new IllegalArgumentException("bad stream state: length " + length + ", free bits " + count);
    }
    this.buf = buf;
    this.length = length;
    this.count = count;
  }

  /** A stream that starts with {@code zeroBytes} zero bytes, fully written: how Prometheus starts a chunk's header. */
  static BitWriter withZeroBytes(int zeroBytes, int capacity) {
    return new BitWriter(new byte[Math.max(zeroBytes, capacity)], zeroBytes, 0);
  }

  /** Bits written so far. */
  int bitLength() {
    return length * 8 - count;
  }

  /** Bytes in the stream, the unwritten padding byte (see the class comment) included. */
  int byteLength() {
    return length;
  }

  /**
   * The stream's last byte, read without any guarantee against a concurrent writer: a way to bring the stream into the
   * cache ahead of the locked write that follows, whose result does not matter.
   */
  public int touch() {
    byte[] b = buf;
    int n = length;
    return n > 0 && n <= b.length ? b[n - 1] : 0;
  }

  /** A copy of the stream. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, length);
  }

  /** Overwrites two whole bytes, big-endian; for a header written before the bits that follow it. */
  void putUint16(int offset, int value) {
    if (offset < 0 || offset + 2 > length) {
      throw new IndexOutOfBoundsException("offset " + offset + " in a stream of " + length + " bytes");
    }
    buf[offset] = (byte) (value >>> 8);
    buf[offset + 1] = (byte) value;
  }

  /** Overwrites one whole byte already in the stream. */
  void putByte(int offset, int value) {
    if (offset < 0 || offset + 1 > length) {
      throw new IndexOutOfBoundsException("offset " + offset + " in a stream of " + length + " bytes");
    }
    buf[offset] = (byte) value;
  }

  void writeBit(boolean bit) {
    if (count == 0) {
      appendZeroByte();
      count = 8;
    }
    if (bit) {
      buf[length - 1] |= (byte) (1 << (count - 1));
    }
    count--;
  }

  /** Writes the eight bits of {@code b} (its low byte); see the class comment for the padding byte this leaves. */
  void writeByte(int b) {
    if (count == 0) {
      appendZeroByte();
      count = 8;
    }
    int u = b & 0xFF;
    // Complete the last byte with the top `count` bits of b, and start the next with the rest (none when aligned).
    buf[length - 1] |= (byte) (u >>> (8 - count));
    appendZeroByte();
    buf[length - 1] = (byte) (u << count); // a cast, not Go's byte shift: for count 8 the low byte is 0 all the same
  }

  /**
   * Writes the low {@code nbits} bits of {@code value}, most significant first: whole bytes first, then single bits,
   * as Go does, since that order decides whether the stream ends with a padding byte.
   */
  void writeBits(long value, int nbits) {
    if (nbits < 0 || nbits > 64) {
      throw new IllegalArgumentException("nbits " + nbits + " not in 0..64");
    }
    if (nbits == 0) {
      return; // Java masks shift counts to six bits, so `value << 64` below would not be 0 as in Go
    }
    long u = value << (64 - nbits);
    int left = nbits;
    while (left >= 8) {
      writeByte((int) (u >>> 56));
      u <<= 8;
      left -= 8;
    }
    if (left > 0) {
      writeFewBits((int) (u >>> (64 - left)), left);
    }
  }

  /**
   * The low {@code n} (1 to 7) bits of {@code bits}, most significant first: what as many {@link #writeBit} calls
   * write, and leaving the same state, in at most two steps instead of one call per bit.
   */
  private void writeFewBits(int bits, int n) {
    if (count == 0) {
      appendZeroByte();
      count = 8;
    }
    if (n <= count) {
      buf[length - 1] |= (byte) (bits << (count - n));
      count -= n;
      return;
    }
    int rest = n - count;
    buf[length - 1] |= (byte) (bits >>> rest);
    appendZeroByte();
    buf[length - 1] |= (byte) ((bits & ((1 << rest) - 1)) << (8 - rest));
    count = 8 - rest;
  }

  /** Go's {@code binary.PutUvarint}, byte by byte: seven bits a byte, low groups first, high bit set on all but the last. */
  void writeUvarint(long x) {
    while ((x & ~0x7FL) != 0) { // unsigned "x >= 0x80"
      writeByte((int) (x & 0x7F) | 0x80);
      x >>>= 7;
    }
    writeByte((int) x);
  }

  /** Go's {@code binary.PutVarint}: zig-zag, so that small negative numbers stay short, then a uvarint. */
  void writeVarint(long x) {
    writeUvarint(zigZag(x));
  }

  static long zigZag(long x) {
    return (x << 1) ^ (x >> 63);
  }

  private void appendZeroByte() {
    if (length == buf.length) {
      // Doubling keeps appends amortised O(1); the minimum covers a zero-capacity start.
      buf = Arrays.copyOf(buf, Math.max(16, buf.length * 2));
    }
    buf[length++] = 0;
  }
}

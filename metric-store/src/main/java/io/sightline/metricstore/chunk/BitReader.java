package io.sightline.metricstore.chunk;

/**
 * Reads what {@link BitWriter} wrote: bits most significant first, and Go's {@code binary.ReadUvarint} /
 * {@code ReadVarint} on top, bytes taken from the bit position (which need not be byte-aligned).
 *
 * <p>Reads the array in place and never writes it. Reading past the end throws {@link IllegalStateException}: for a
 * chunk that is a truncated or corrupt encoding, since the sample count in the header says how far to read.
 */
final class BitReader {
  private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);
  private final byte[] buf;
  private final long limitBits;
  private long position;

  /** Reads {@code buf} from byte {@code fromByte} to its end. */
  BitReader(byte[] buf, int fromByte) {
    if (fromByte < 0 || fromByte > buf.length) {
      throw new IllegalArgumentException("start " + fromByte + " outside " + buf.length + " bytes");
    }
    this.buf = buf;
    this.limitBits = (long) buf.length * 8;
    this.position = (long) fromByte * 8;
  }

  /** Bits consumed from the start of the array (not from {@code fromByte}). */
  long bitPosition() {
    return position;
  }

  boolean readBit() {
    if (position >= limitBits) {
      throw endOfStream(1);
    }
    int b = buf[(int) (position >>> 3)];
    boolean bit = ((b >>> (7 - (int) (position & 7))) & 1) != 0;
    position++;
    return bit;
  }

  /** The next {@code nbits} bits (0 to 64) as the low bits of the result, the rest zero. */
  long readBits(int nbits) {
    if (nbits < 0 || nbits > 64) {
      throw new IllegalArgumentException("nbits " + nbits + " not in 0..64");
    }
    if (position + nbits > limitBits) {
      throw endOfStream(nbits);
    }
    if (nbits == 0) {
      return 0;
    }
    int index = (int) (position >>> 3);
    int offset = (int) (position & 7);
    long x;
    if (index + Long.BYTES <= buf.length) {
      // One 8-byte load instead of a loop per byte: the query path decodes every sample through here.
      x = (long) BIG_ENDIAN_LONG.get(buf, index) << offset;
      if (offset + nbits > 64) {
        // The bounds check above guarantees the ninth byte exists when the bits reach into it.
        x |= (buf[index + Long.BYTES] & 0xFFL) >>> (8 - offset);
      }
      x >>>= 64 - nbits;
    } else {
      x = readBitsByteWise(nbits);
      return x;
    }
    position += nbits;
    return x;
  }

  /** The last few bytes of the array, where an 8-byte load would run past its end. */
  private long readBitsByteWise(int nbits) {
    long x = 0;
    int left = nbits;
    while (left > 0) {
      int offset = (int) (position & 7);
      int available = 8 - offset;
      int take = Math.min(available, left);
      int b = buf[(int) (position >>> 3)] & 0xFF;
      int bits = (b >>> (available - take)) & ((1 << take) - 1);
      x = (x << take) | bits;
      position += take;
      left -= take;
    }
    return x;
  }

  int readByte() {
    return (int) readBits(8);
  }

  /**
   * Go's {@code binary.ReadUvarint}, overflow checks included: at most {@link BitWriter#MAX_VARINT_BYTES} bytes, and
   * the tenth may only carry the single bit left of 64.
   */
  long readUvarint() {
    long x = 0;
    int shift = 0;
    for (int i = 0; i < BitWriter.MAX_VARINT_BYTES; i++) {
      int b = readByte();
      if (b < 0x80) {
        if (i == BitWriter.MAX_VARINT_BYTES - 1 && b > 1) {
          throw new IllegalStateException("varint overflows 64 bits at bit " + position);
        }
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
      shift += 7;
    }
    throw new IllegalStateException("varint longer than " + BitWriter.MAX_VARINT_BYTES + " bytes at bit " + position);
  }

  /** Go's {@code binary.ReadVarint}: a uvarint, zig-zag decoded. */
  long readVarint() {
    long ux = readUvarint();
    return (ux >>> 1) ^ -(ux & 1);
  }

  private IllegalStateException endOfStream(int wanted) {
    return new IllegalStateException(
        "stream ends: " + wanted + " more bits wanted at bit " + position + " of " + limitBits);
  }
}

package io.sightline.core.encoding;

/**
 * A position in a protobuf encoding, with the primitive reads of the wire format: for the paths that read OTLP
 * fields in place instead of building messages (the trace store's head and blocks, the metrics generator). Every read
 * is bounds-checked and never goes past {@code end}; malformed input throws {@link IllegalArgumentException}.
 */
public final class ProtoReader {
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int FIXED32 = 5;

  public final byte[] b;
  public int pos;
  public final int end;

  public ProtoReader(byte[] b, int from, int end) {
    this.b = b;
    this.pos = from;
    this.end = end;
  }

  /** The tag of a length-delimited field {@code number}: what {@link #varint} reads before its length. */
  public static int lenTag(int number) {
    return number << 3 | LEN;
  }

  public boolean more() {
    return pos < end;
  }

  public long varint() {
    long x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new IllegalArgumentException("varint past the end of the encoding");
      }
      byte v = b[pos++];
      x |= (long) (v & 0x7F) << shift;
      if (v >= 0) {
        return x;
      }
    }
    throw new IllegalArgumentException("varint longer than ten bytes");
  }

  public long fixed64() {
    if (end - pos < 8) {
      throw new IllegalArgumentException("fixed64 past the end of the encoding");
    }
    long x = 0;
    for (int i = 7; i >= 0; i--) {
      x = (x << 8) | (b[pos + i] & 0xFFL);
    }
    pos += 8;
    return x;
  }

  public int fixed32() {
    if (end - pos < 4) {
      throw new IllegalArgumentException("fixed32 past the end of the encoding");
    }
    int x = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
    pos += 4;
    return x;
  }

  /** The length of a length-delimited field, checked against what is left. */
  public int length() {
    long len = varint();
    if (len < 0 || len > end - pos) {
      throw new IllegalArgumentException("field of " + len + " bytes past the end of the encoding");
    }
    return (int) len;
  }

  public void skip(int wireType) {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> pos = checked(8);
      case LEN -> {
        int len = length();
        pos += len;
      }
      case FIXED32 -> pos = checked(4);
      default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
    }
  }

  private int checked(int n) {
    if (end - pos < n) {
      throw new IllegalArgumentException("field past the end of the encoding");
    }
    return pos + n;
  }
}

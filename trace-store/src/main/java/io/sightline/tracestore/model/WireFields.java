package io.sightline.tracestore.model;

import com.google.protobuf.ByteString;

/**
 * Reads single fields out of a protobuf encoding by walking its framing: for the few fields the store needs of a span
 * it keeps encoded (its id for ordering), without parsing the span. Public for the block writer, which decodes whole
 * encoded spans into its columns the same way.
 */
public final class WireFields {
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int FIXED32 = 5;

  private WireFields() {}

  /** The last occurrence of length-delimited field {@code number} (protobuf's rule for a repeated scalar), or null. */
  static ByteString bytesField(byte[] b, int number) {
    Cursor c = new Cursor(b, 0, b.length);
    ByteString found = null;
    while (c.more()) {
      long tag = c.varint();
      if ((tag >>> 3) == number && (tag & 7) == LEN) {
        int len = c.length();
        found = ByteString.copyFrom(b, c.pos, len);
        c.pos += len;
      } else {
        c.skip((int) (tag & 7));
      }
    }
    return found;
  }

  /**
   * Where the key (field 1) and the value (field 2, an AnyValue) of a KeyValue encoding in {@code b[from, to)} lie:
   * {@code {keyFrom, keyTo, valueFrom, valueTo}}, -1 for one that is absent; a repeated field keeps its last.
   */
  public static int[] keyValue(byte[] b, int from, int to) {
    int[] at = {-1, -1, -1, -1};
    Cursor c = new Cursor(b, from, to);
    while (c.more()) {
      long tag = c.varint();
      if (tag == ((1 << 3) | LEN) || tag == ((2 << 3) | LEN)) {
        int len = c.length();
        int i = tag >>> 3 == 1 ? 0 : 2;
        at[i] = c.pos;
        at[i + 1] = c.pos + len;
        c.pos += len;
      } else {
        c.skip((int) (tag & 7));
      }
    }
    return at;
  }

  /** A position in an encoding, with the primitive reads of the wire format; bounds-checked, never past {@code end}. */
  public static final class Cursor {
    public final byte[] b;
    public int pos;
    public final int end;

    public Cursor(byte[] b, int from, int end) {
      this.b = b;
      this.pos = from;
      this.end = end;
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
}

package io.sightline.tracestore.model;

import com.google.protobuf.ByteString;

/**
 * A 16-byte trace id as two big-endian longs: a map key without a byte array per span, ordered as the bytes are
 * (unsigned), which is the order of spans in a block.
 */
public final class TraceKey implements Comparable<TraceKey> {
  /** OTLP trace ids are 16 bytes; anything else is refused at the door. */
  public static final int LENGTH = 16;

  private final long hi;
  private final long lo;

  public TraceKey(long hi, long lo) {
    this.hi = hi;
    this.lo = lo;
  }

  public static TraceKey of(byte[] id) {
    if (id.length != LENGTH) {
      throw new IllegalArgumentException("trace id of " + id.length + " bytes; OTLP trace ids are 16 bytes");
    }
    return new TraceKey(readLong(id, 0), readLong(id, 8));
  }

  public static TraceKey of(ByteString id) {
    if (id.size() != LENGTH) {
      throw new IllegalArgumentException("trace id of " + id.size() + " bytes; OTLP trace ids are 16 bytes");
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (id.byteAt(i) & 0xff);
      lo = (lo << 8) | (id.byteAt(8 + i) & 0xff);
    }
    return new TraceKey(hi, lo);
  }

  public static long readLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }

  public long hi() {
    return hi;
  }

  public long lo() {
    return lo;
  }

  public byte[] toBytes() {
    byte[] b = new byte[LENGTH];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }

  @Override
  public int compareTo(TraceKey o) {
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceKey k && k.hi == hi && k.lo == lo;
  }

  @Override
  public int hashCode() {
    // Trace ids are random: the low half's bits are as good a hash as any.
    return (int) (lo ^ (lo >>> 32) ^ hi);
  }

  @Override
  public String toString() {
    return String.format("%016x%016x", hi, lo);
  }
}

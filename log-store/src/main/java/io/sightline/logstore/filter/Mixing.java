package io.sightline.logstore.filter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Hashing of bytes into 64-bit keys, shared by the token keys and the bloom filter's probes. */
public final class Mixing {
  private Mixing() {}

  /** MurmurHash3's 64-bit finalizer: every input bit moves about half of the output bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Eight bytes from {@code at}, little-endian, as one long (one load). */
  public static long pack8(byte[] b, int at) {
    return (long) LE64.get(b, at);
  }

  /** A 64-bit hash of {@code length} bytes, eight at a time; the length is part of it. */
  public static long hash(byte[] b, int from, int length, long seed) {
    long h = seed ^ (length * 0x9e3779b97f4a7c15L);
    int i = from;
    int end = from + length;
    for (; i + 8 <= end; i += 8) {
      h = mix(h ^ pack8(b, i)) + 0x9e3779b97f4a7c15L;
    }
    long tail = 0;
    for (int s = 0; i < end; i++, s += 8) {
      tail |= (b[i] & 0xffL) << s;
    }
    return mix(h ^ tail);
  }
}

package io.sightline.logstore.filter;

/** Hashing of bytes into 64-bit keys, shared by the token keys and the bloom filter's probes. */
public final class Mixing {
  private Mixing() {}

  /** MurmurHash3's 64-bit finalizer: every input bit moves about half of the output bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** Eight bytes from {@code at}, little-endian, as one long. */
  public static long pack8(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24
        | (b[at + 4] & 0xffL) << 32 | (b[at + 5] & 0xffL) << 40 | (b[at + 6] & 0xffL) << 48
        | (b[at + 7] & 0xffL) << 56;
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

package io.sightline.logstore.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys a chunk's filter holds for its lines, and the keys a needle needs to find there.
 *
 * <p>A line is split into tokens: maximal runs of ASCII letters, digits and bytes ≥ 0x80 (so a UTF-8 character is
 * never split). A token of {@value #MIN_TOKEN} to {@value #LONG_TOKEN}−1 bytes is one key, hashed whole. A longer
 * token (trace ids, base64, hex blobs) is keyed by winnowing instead: over its {@value #K}-byte grams, each window of
 * {@value #W} consecutive grams selects its smallest gram hash, and each selected hash is a key.
 *
 * <pre>
 *   line   {"level":"error","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","msg":"card declined"}
 *   tokens  level  error  trace  id  4bf92f3577b34da6a3ce929d0e0e4736  msg  card  declined
 *   keys    whole  whole  whole   -  winnowed: 25 grams, 9 windows → about 2 minima     -   whole  whole
 * </pre>
 *
 * Why that is correct for a needle ({@link #needleKeys}): every line that contains the needle holds, for each run of
 * token bytes in the needle,
 * <ul>
 *   <li>a run of {@value #LONG_TOKEN} bytes or more inside one of its tokens (which is then long, so winnowed). Each
 *       window of grams lying inside the run is a window of that token too, with the same grams, so it selected the
 *       same minimum: those minima are keys of the chunk.</li>
 *   <li>a run bounded by non-token bytes on both sides <em>within the needle</em> as a whole token of its own, keyed
 *       whole when it is {@value #MIN_TOKEN} bytes or longer and shorter than {@value #LONG_TOKEN}.</li>
 * </ul>
 * A run that touches an end of the needle may continue in the line, so unless it is long it gives no key; a needle
 * with no key (such as {@code error}, which might be part of {@code errors}) skips nothing.
 */
public final class TokenKeys {
  /** Shorter tokens are not keys: they are few and common, so they would rarely tell chunks apart. */
  public static final int MIN_TOKEN = 4;
  /** Gram length: eight bytes, read as one long. */
  public static final int K = 8;
  /** Grams per window; with {@link #K} this makes any run of 24 token bytes selective, so 32-hex ids are. */
  public static final int W = 17;
  /** Tokens this long are winnowed rather than keyed whole. */
  public static final int LONG_TOKEN = K + W - 1;
  private static final long WHOLE_SEED = 0x5bd1e9955bd1e995L;
  private static final long GRAM_SEED = 0x27d4eb2f165667c5L;

  private static final boolean[] TOKEN_BYTE = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      TOKEN_BYTE[c] = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80;
    }
  }

  private long[] grams = new long[256];
  private long[] prefix = new long[256];
  private long[] suffix = new long[256];

  /** Adds the keys of one line to {@code out}. One instance per thread: it keeps a scratch array. */
  public void addLine(byte[] b, int from, int length, LongHashSet out) {
    int end = from + length;
    int i = from;
    while (i < end) {
      while (i < end && !TOKEN_BYTE[b[i] & 0xff]) {
        i++;
      }
      int start = i;
      while (i < end && TOKEN_BYTE[b[i] & 0xff]) {
        i++;
      }
      int n = i - start;
      if (n >= LONG_TOKEN) {
        winnow(b, start, n, out, null);
      } else if (n >= MIN_TOKEN) {
        out.add(wholeKey(b, start, n));
      }
    }
  }

  /**
   * The keys a chunk must hold if some line of it contains {@code needle}; empty if the needle cannot rule out any
   * chunk.
   */
  public static long[] needleKeys(byte[] needle) {
    TokenKeys scratch = new TokenKeys();
    List<Long> keys = new ArrayList<>();
    int i = 0;
    int end = needle.length;
    while (i < end) {
      while (i < end && !TOKEN_BYTE[needle[i] & 0xff]) {
        i++;
      }
      int start = i;
      while (i < end && TOKEN_BYTE[needle[i] & 0xff]) {
        i++;
      }
      int n = i - start;
      boolean inner = start > 0 && i < end;
      if (n >= LONG_TOKEN) {
        scratch.winnow(needle, start, n, null, keys);
      } else if (inner && n >= MIN_TOKEN) {
        keys.add(wholeKey(needle, start, n));
      }
    }
    return keys.stream().distinct().mapToLong(Long::longValue).toArray();
  }

  /**
   * {@link Mixing#hash} of the token's bytes (eight at a time, the length mixed in) with its own seed: a few
   * multiplications a token where a byte-wise hash made one per byte, and building filters is most of a block write.
   */
  static long wholeKey(byte[] b, int from, int n) {
    return Mixing.hash(b, from, n, WHOLE_SEED);
  }

  /**
   * The minimum gram hash of every window of the run; into the set or the list, whichever is given. Window minima come
   * from block prefix and suffix minima (blocks of {@link #W} grams): min(window at w) = min(suffix[w], prefix[w+W-1]),
   * two passes instead of W comparisons per window.
   */
  private void winnow(byte[] b, int start, int n, LongHashSet set, List<Long> list) {
    int gramCount = n - K + 1;
    if (gramCount > grams.length) {
      grams = new long[gramCount * 2];
      prefix = new long[gramCount * 2];
      suffix = new long[gramCount * 2];
    }
    long[] g = grams;
    for (int j = 0; j < gramCount; j++) {
      g[j] = Mixing.mix(Mixing.pack8(b, start + j) ^ GRAM_SEED);
    }
    for (int j = 0; j < gramCount; j++) {
      prefix[j] = j % W == 0 ? g[j] : Math.min(prefix[j - 1], g[j]);
    }
    for (int j = gramCount - 1; j >= 0; j--) {
      suffix[j] = j % W == W - 1 || j == gramCount - 1 ? g[j] : Math.min(suffix[j + 1], g[j]);
    }
    long last = 0;
    boolean any = false;
    for (int w = 0; w + W <= gramCount; w++) {
      long min = Math.min(suffix[w], prefix[w + W - 1]);
      if (any && min == last) {
        continue; // consecutive windows mostly share their minimum
      }
      any = true;
      last = min;
      if (set != null) {
        set.add(min);
      } else {
        list.add(min);
      }
    }
  }
}

package io.sightline.core.fs;

import java.util.List;
import java.util.function.ToLongFunction;

/** Retention by size, as the stores apply it: the oldest blocks go until the blocks and the WAL fit the limit. */
public final class SizeRetention {
  private SizeRetention() {}

  /**
   * Adds to {@code expired} (keeping what it holds) the oldest of {@code oldestFirst} until what is left of them,
   * with {@code walBytes}, takes at most {@code limitBytes}. Blocks already expired count as going too.
   */
  public static <B> void expireOldest(List<B> oldestFirst, ToLongFunction<B> sizeBytes, long walBytes,
      long limitBytes, List<B> expired) {
    long total = walBytes;
    for (B b : oldestFirst) {
      total += sizeBytes.applyAsLong(b);
    }
    for (B b : oldestFirst) {
      if (total <= limitBytes) {
        break;
      }
      if (!expired.contains(b)) {
        expired.add(b);
      }
      total -= sizeBytes.applyAsLong(b);
    }
  }
}

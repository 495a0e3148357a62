package io.sightline.logql.log;

import java.util.List;

/**
 * Byte strings that every line a query keeps contains (its leading case-sensitive {@code |=} filters): a line
 * without one of them is dropped before its structured metadata is even read, which is most of the cost of a line
 * that a needle query passes over.
 */
public final class Needles {
  private final byte[][] needles;

  public Needles(List<byte[]> needles) {
    this.needles = needles.toArray(byte[][]::new);
  }

  public boolean isEmpty() {
    return needles.length == 0;
  }

  /** Whether the line contains every needle, so that the query's filters may keep it. */
  public boolean mayMatch(byte[] buf, int off, int len) {
    for (byte[] n : needles) {
      if (Bytes.indexOf(buf, off, len, n) < 0) {
        return false;
      }
    }
    return true;
  }
}

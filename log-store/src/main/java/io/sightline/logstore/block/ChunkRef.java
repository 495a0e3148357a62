package io.sightline.logstore.block;

/**
 * Where a block holds one chunk, and what it holds: the chunk's bytes at {@code offset}, its filter right after.
 *
 * @param seq the order the chunks of a stream were stored in (for the merge's tie-break), unique within the block
 */
public record ChunkRef(long minTs, long maxTs, int entries, long rawBytes, long offset, int length, int filterLength,
    long seq) {

  /** Whether the chunk has entries in {@code [start, end)}. */
  public boolean overlaps(long start, long end) {
    return minTs < end && maxTs >= start;
  }
}

package io.sightline.logstore.stream;

import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.List;

/** One stream in the head: its open chunk and the chunks cut from it that no block holds yet. Guarded by itself. */
final class MemStream {
  final Labels labels;
  HeadChunk open;
  final List<HeadChunk> sealed = new ArrayList<>(2);
  /** The newest entry time ever accepted: the out-of-order window counts back from it. */
  long newestTs = Long.MIN_VALUE;
  long lastAppendNanos;
  /**
   * How big the next chunk's columns start: small for a new stream (thousands of streams may each hold a few lines),
   * the size of the last full chunk for a busy one, so that its columns are not grown by copying again and again.
   */
  int nextChunkEntries = 32;
  int nextChunkBytes = 4096;

  MemStream(Labels labels, long now) {
    this.labels = labels;
    this.lastAppendNanos = now;
  }

  boolean isEmpty() {
    return open == null && sealed.isEmpty();
  }

  /** Whether the open chunk holds this entry already (what Loki calls a duplicate). */
  boolean isDuplicate(long t, byte[] b, int off, int len) {
    return open != null && t <= newestTs && open.contains(t, b, off, len);
  }
}

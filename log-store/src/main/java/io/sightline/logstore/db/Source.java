package io.sightline.logstore.db;

import io.sightline.core.model.Labels;
import java.io.IOException;

/**
 * One chunk as a sorted run of entries in a query's merge. Until {@link #open} it is only a time bound (its first
 * possible entry in the query's direction), so that the merge decompresses a chunk only when its time comes.
 */
abstract class Source {
  final Labels labels;
  /** The order the chunk was stored in: ties of time and stream go by it. */
  final long seq;
  /** Before opening: the chunk's bound in the query's direction; after: the current entry's time. */
  long ts;
  boolean opened;

  Source(Labels labels, long seq, long bound) {
    this.labels = labels;
    this.seq = seq;
    this.ts = bound;
  }

  /** Loads the chunk and moves to its first entry in range; false if it has none (or was skipped). */
  abstract boolean open() throws IOException;

  /** Moves to the next entry in range; false at the end (the source may then let go of its chunk). */
  abstract boolean advance();

  abstract byte[] lineBuffer();

  abstract int lineOffset();

  abstract int lineLength();

  abstract Labels metadata();
}

package io.sightline.logstore;

import io.sightline.core.model.Labels;
import java.io.IOException;

/**
 * A cursor over selected entries. The accessors describe the current entry and are valid until the next call of
 * {@link #next}; the line is a region of a buffer that the iterator reuses, so a caller that keeps it copies it.
 */
public interface EntryIterator extends AutoCloseable {

  /** Moves to the next entry; false at the end. */
  boolean next() throws IOException;

  /** The stream's labels (the same instance for every entry of a stream). */
  Labels streamLabels();

  long timestampNanos();

  byte[] lineBuffer();

  int lineOffset();

  int lineLength();

  /** The entry's structured metadata, {@link Labels#EMPTY} for none. */
  Labels structuredMetadata();

  /** What the iteration has read so far, for a query's statistics. */
  SelectStats stats();

  @Override
  void close() throws IOException;
}

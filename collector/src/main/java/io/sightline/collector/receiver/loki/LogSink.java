package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.util.List;

/**
 * Where validated pushes go: a log store's appender, one batch per request. Decoding, validation and enrichment
 * happen before; the sink only stores, so that the push API knows no store (as scraping writes through
 * {@code SampleSink}).
 */
public interface LogSink {

  Batch begin();

  /** One request's streams, stored together on {@link #commit}. Used from one thread. */
  interface Batch {
    /**
     * Adds entries of one stream, in the order pushed (a stream may come more than once in a request). The lists are
     * not reused; the sink may keep them.
     *
     * @return null when the store takes them all; otherwise what it refused, in Loki's words (the ingester's
     *     "maximum active stream limit exceeded ..." with 429, "entry too far behind ..." with 400), having kept the
     *     rest
     */
    Refusal append(Labels stream, List<LogEntry> entries);

    /**
     * Makes the batch durable (in the write-ahead log) and visible; only then is the client answered.
     *
     * @throws FullException when the store cannot take more now (the client is answered 429 and retries)
     */
    void commit() throws IOException;

    /** Forgets what was appended since {@link #begin}. */
    void rollback();
  }

  /**
   * What the store refused of a stream.
   *
   * @param status the HTTP status Loki answers with (429 asks the client to retry later, 400 not to retry)
   * @param refusedEntries how many of the stream's entries were not stored
   */
  record Refusal(int status, String message, int refusedEntries) {}

  /** The store holds all it can until it has written some out; nothing of the batch was kept. */
  final class FullException extends IOException {
    public FullException(String message) {
      super(message);
    }
  }
}

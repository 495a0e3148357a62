package io.sightline.server.embedded;

import io.sightline.collector.receiver.loki.LogSink;
import io.sightline.collector.receiver.loki.LokiErrors;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.AppendResult;
import io.sightline.logstore.HeadFullException;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.StreamLimitException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Loki distributor's sink over the embedded log store: one appender per request, and what the store refuses put
 * in the words of Loki's ingester (the stream limit with 429, entries too far behind with 400, a full head with 429).
 */
final class LogStoreSink implements LogSink {
  /** Loki's {@code max_returned_stream_errors}: the refused entries a message lists. */
  static final int MAX_RETURNED_ERRORS = 10;

  private final Supplier<LogStore> store;

  LogStoreSink(Supplier<LogStore> store) {
    this.store = store;
  }

  @Override
  public Batch begin() {
    LogStore logs = store.get();
    if (logs == null) {
      throw new IllegalStateException("the log store is not open");
    }
    LogAppender appender = logs.appender();
    return new Batch() {
      @Override
      public Refusal append(Labels stream, List<LogEntry> entries) {
        AppendResult result;
        try {
          result = appender.append(stream, entries);
        } catch (StreamLimitException e) {
          return new Refusal(429, LokiErrors.streamLimit(stream), entries.size());
        }
        if (result.tooFarBehind() == 0) {
          return null;
        }
        return new Refusal(400, tooFarBehind(stream, entries, result), result.tooFarBehind());
      }

      @Override
      public void commit() throws IOException {
        try {
          appender.commit();
        } catch (HeadFullException e) {
          throw new FullException(e.getMessage());
        }
      }

      @Override
      public void rollback() {
        appender.rollback();
      }
    };
  }

  /** Lists the entries older than the cutoff the store reported (the first refused one at least). */
  private static String tooFarBehind(Labels stream, List<LogEntry> entries, AppendResult result) {
    long cutoff = result.oldestAcceptedNanos();
    List<Long> listed = new ArrayList<>();
    for (LogEntry e : entries) {
      if (listed.size() == MAX_RETURNED_ERRORS) {
        break;
      }
      long t = e.timestampNanos();
      if (t < cutoff || (listed.isEmpty() && t == result.firstTooFarBehindNanos())) {
        listed.add(t);
      }
    }
    return LokiErrors.tooFarBehind(stream, listed, cutoff, result.tooFarBehind(), entries.size());
  }
}

package io.sightline.collector.receiver.loki;

import io.sightline.core.model.LogEntry;
import io.sightline.core.model.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Keeps what was committed; can refuse streams and fail commits, as a store would. */
final class RecordingLogSink implements LogSink {
  record Stored(Labels stream, List<LogEntry> entries) {}

  final List<Stored> committed = new ArrayList<>();
  int rollbacks;
  /** Decides a refusal for each appended stream; none by default. */
  BiFunction<Labels, List<LogEntry>, Refusal> refuse = (labels, entries) -> null;
  IOException commitFailure;

  @Override
  public Batch begin() {
    List<Stored> pending = new ArrayList<>();
    return new Batch() {
      @Override
      public Refusal append(Labels stream, List<LogEntry> entries) {
        Refusal r = refuse.apply(stream, entries);
        if (r == null) {
          pending.add(new Stored(stream, List.copyOf(entries)));
        }
        return r;
      }

      @Override
      public void commit() throws IOException {
        if (commitFailure != null) {
          throw commitFailure;
        }
        committed.addAll(pending);
      }

      @Override
      public void rollback() {
        rollbacks++;
        pending.clear();
      }
    };
  }

  /** All committed entries, in order. */
  List<LogEntry> entries() {
    List<LogEntry> all = new ArrayList<>();
    committed.forEach(s -> all.addAll(s.entries()));
    return all;
  }
}

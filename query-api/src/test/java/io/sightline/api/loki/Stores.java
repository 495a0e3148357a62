package io.sightline.api.loki;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogStore;
import java.util.List;

/** Test helpers over the real log store. */
final class Stores {
  private Stores() {}

  /** Appends and commits one stream's entries. */
  static void push(LogStore store, Labels stream, LogEntry... entries) throws Exception {
    LogAppender a = store.appender();
    a.append(stream, List.of(entries));
    a.commit();
  }
}

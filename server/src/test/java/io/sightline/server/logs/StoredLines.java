package io.sightline.server.logs;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LabelMatcher;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.SelectRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a log store holds, read through its querier, oldest first. */
record StoredLines(Labels stream, long timestampNanos, String line, Labels metadata) {

  static List<StoredLines> all(LogStore store, LabelMatcher... matchers) throws Exception {
    List<StoredLines> out = new ArrayList<>();
    try (EntryIterator it = store.querier().select(new SelectRequest(List.of(matchers), 0, Long.MAX_VALUE,
        SelectRequest.Direction.FORWARD, LineFilterHint.NONE))) {
      while (it.next()) {
        out.add(new StoredLines(it.streamLabels(), it.timestampNanos(), new String(it.lineBuffer(), it.lineOffset(),
            it.lineLength(), StandardCharsets.UTF_8), it.structuredMetadata()));
      }
    }
    return out;
  }
}

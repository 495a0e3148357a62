package io.sightline.logstore.db;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.core.wal.WalConfig;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.LogStoreConfig;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.SelectStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Test fixtures: configs, entries, and a select that reads everything back as values. */
final class Logs {
  /** 2026-01-01T00:00:00Z: fixed, so that tests turn off time retention. */
  static final long T0 = 1_767_225_600_000_000_000L;
  static final long SECOND = 1_000_000_000L;

  private Logs() {}

  /** No background upkeep (tests cut, flush and expire when they say so), no time retention, no fsync. */
  static LogStoreConfig.Builder config() {
    return LogStoreConfig.builder().upkeepInterval(Duration.ofHours(1)).retention(Duration.ZERO)
        .wal(new WalConfig(WalConfig.DEFAULT_SEGMENT_SIZE, WalConfig.Sync.NEVER, null));
  }

  /** One entry as a query returns it. */
  record Row(Labels stream, long ts, String line, Labels metadata) {}

  record Result(List<Row> rows, SelectStats stats) {}

  static LogEntry entry(long ts, String line) {
    return new LogEntry(ts, line, Labels.EMPTY);
  }

  static LogEntry entry(long ts, String line, String... metadata) {
    return new LogEntry(ts, line, Labels.of(metadata));
  }

  static void commit(LogStore db, Labels stream, LogEntry... entries) throws Exception {
    LogAppender a = db.appender();
    a.append(stream, List.of(entries));
    a.commit();
  }

  static Result select(LogStore db, SelectRequest r) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (EntryIterator it = db.querier().select(r)) {
      while (it.next()) {
        rows.add(new Row(it.streamLabels(), it.timestampNanos(),
            new String(it.lineBuffer(), it.lineOffset(), it.lineLength(), StandardCharsets.UTF_8),
            it.structuredMetadata()));
      }
      return new Result(rows, it.stats());
    }
  }

  static List<Row> all(LogStore db) throws IOException {
    return select(db, forward(List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).rows();
  }

  static SelectRequest forward(List<LabelMatcher> m, long start, long end) {
    return new SelectRequest(m, start, end, SelectRequest.Direction.FORWARD, LineFilterHint.NONE);
  }

  static SelectRequest backward(List<LabelMatcher> m, long start, long end) {
    return new SelectRequest(m, start, end, SelectRequest.Direction.BACKWARD, LineFilterHint.NONE);
  }

  static SelectRequest needle(String needle) {
    return new SelectRequest(List.of(), Long.MIN_VALUE, Long.MAX_VALUE, SelectRequest.Direction.FORWARD,
        LineFilterHint.contains(needle));
  }

  /** A JSON line as an instrumented service writes it, with a 32-hex trace id. */
  static String jsonLine(Random random, String traceId, int i) {
    String[] levels = {"info", "info", "info", "warn", "error", "debug"};
    String[] msgs = {"request served", "cache miss", "order placed", "payment declined", "retrying upstream call",
        "inventory reserved"};
    return "{\"ts\":\"2026-01-01T00:" + String.format("%02d:%02d.%03dZ", (i / 60000) % 60, (i / 1000) % 60, i % 1000)
        + "\",\"level\":\"" + levels[random.nextInt(levels.length)] + "\",\"service\":\"checkout\",\"trace_id\":\""
        + traceId + "\",\"span_id\":\"" + HexFormat.of().formatHex(longBytes(random.nextLong())) + "\",\"msg\":\""
        + msgs[random.nextInt(msgs.length)] + "\",\"duration_ms\":" + random.nextInt(2000) + ",\"user\":\"u"
        + random.nextInt(5000) + "\",\"path\":\"/api/v1/orders/" + random.nextInt(100000) + "\"}";
  }

  static String traceId(Random random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }
}

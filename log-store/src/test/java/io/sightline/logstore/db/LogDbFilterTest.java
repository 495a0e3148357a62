package io.sightline.logstore.db;

import static io.sightline.logstore.db.Logs.T0;
import static io.sightline.logstore.db.Logs.config;
import static io.sightline.logstore.db.Logs.select;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.db.Logs.Result;
import io.sightline.logstore.db.Logs.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needle queries through the whole store: chunks skipped by their token filters, and no line ever missed. */
class LogDbFilterTest {
  @TempDir
  Path dir;

  @Test
  void aTraceIdQuerySkipsTheChunksThatCannotHoldIt() throws Exception {
    Random r = new Random(3);
    List<String> ids = new ArrayList<>();
    try (LogDb db = LogDb.open(dir, config().chunkTargetBytes(64 * 1024).build())) {
      for (int batch = 0; batch < 20; batch++) {
        LogAppender a = db.appender();
        for (int s = 0; s < 4; s++) {
          List<LogEntry> entries = new ArrayList<>();
          for (int i = 0; i < 250; i++) {
            String id = Logs.traceId(r);
            ids.add(id);
            entries.add(new LogEntry(T0 + batch * 1000L + i, Logs.jsonLine(r, id, i), Labels.of("trace_id", id)));
          }
          a.append(Labels.of("service", "svc" + s), entries);
        }
        a.commit();
      }
      db.flush(true);
      String needle = ids.get(4321);
      Result res = select(db, Logs.needle(needle));
      assertThat(res.stats().chunksTotal()).isGreaterThan(50);
      assertThat(res.stats().chunksSkipped()).isGreaterThanOrEqualTo(res.stats().chunksTotal() - 3);
      assertThat(res.rows()).filteredOn(row -> row.line().contains(needle)).hasSize(1);
      // Without the hint every chunk is read.
      Result plain = select(db, Logs.forward(List.of(), Long.MIN_VALUE, Long.MAX_VALUE));
      assertThat(plain.stats().chunksSkipped()).isZero();
      assertThat(plain.stats().decompressedEntries()).isEqualTo(ids.size());
      assertThat(plain.stats().decompressedBytes()).isGreaterThan(res.stats().decompressedBytes() * 20);
    }
  }

  @Test
  void needleQueriesNeverMissALineThatContainsTheNeedle() throws Exception {
    Random r = new Random(11);
    List<String> lines = new ArrayList<>();
    try (LogDb db = LogDb.open(dir, config().chunkTargetBytes(2048).build())) {
      LogAppender a = db.appender();
      List<LogEntry> entries = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        String line = r.nextInt(3) == 0 ? Logs.jsonLine(r, Logs.traceId(r), i) : randomLine(r);
        lines.add(line);
        entries.add(Logs.entry(T0 + i, line));
      }
      a.append(Labels.of("app", "x"), entries);
      a.commit();
      db.flush(true);
      for (int q = 0; q < 200; q++) {
        String line = lines.get(r.nextInt(lines.size()));
        int from = r.nextInt(Math.max(1, line.length()));
        String needle = line.substring(from, Math.min(line.length(), from + 1 + r.nextInt(40)));
        long expected = lines.stream().filter(l -> l.contains(needle)).count();
        Result res = select(db, new SelectRequest(List.of(), Long.MIN_VALUE, Long.MAX_VALUE,
            SelectRequest.Direction.BACKWARD, LineFilterHint.contains(needle)));
        assertThat(res.rows().stream().map(Row::line).filter(l -> l.contains(needle)).count())
            .as("needle %s", needle).isEqualTo(expected);
      }
    }
  }

  private static String randomLine(Random r) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 =:,.\"-_/ü";
    StringBuilder sb = new StringBuilder();
    int n = 10 + r.nextInt(150);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void aHintWithSeveralNeedlesNeedsThemAll() throws Exception {
    try (LogDb db = LogDb.open(dir, config().chunkTargetBytes(100).build())) {
      LogAppender a = db.appender();
      a.append(Labels.of("app", "x"), List.of(
          Logs.entry(T0, "user=alice action=login status=ok " + "p".repeat(100)),
          Logs.entry(T0 + 1, "user=bob action=logout status=ok " + "p".repeat(100)),
          Logs.entry(T0 + 2, "user=carol action=login status=failed " + "p".repeat(100))));
      a.commit();
      db.flush(true);
      Result res = select(db, new SelectRequest(List.of(), Long.MIN_VALUE, Long.MAX_VALUE,
          SelectRequest.Direction.FORWARD, LineFilterHint.contains(" action=login ", "=failed ")));
      assertThat(res.stats().chunksTotal()).isEqualTo(3);
      assertThat(res.stats().chunksSkipped()).isEqualTo(2);
      assertThat(res.rows()).extracting(Row::line).singleElement().asString().startsWith("user=carol");
    }
  }
}

package io.sightline.logstore.db;

import static io.sightline.logstore.db.Logs.all;
import static io.sightline.logstore.db.Logs.commit;
import static io.sightline.logstore.db.Logs.config;
import static io.sightline.logstore.db.Logs.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.core.wal.WalConfig;
import io.sightline.logstore.EntryIterator;
import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.db.Logs.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention, and the store under concurrent appends, queries and background upkeep. */
class LogDbUpkeepTest {
  @TempDir
  Path dir;

  private static final long DAY = 86_400L * 1_000_000_000L;

  @Test
  void retentionByTimeDeletesBlocksWhoseEntriesAreAllOlder() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    try (LogDb db = LogDb.open(dir, config().retention(Duration.ofDays(7)).build())) {
      commit(db, Labels.of("app", "old"), entry(now - 10 * DAY, "ten days ago"));
      db.flush(true);
      commit(db, Labels.of("app", "mixed"), entry(now - 10 * DAY, "old but with a young neighbour"),
          entry(now - DAY, "yesterday"));
      db.flush(true);
      assertThat(db.blocks()).hasSize(2);
      db.maintain();
      assertThat(db.blocks()).hasSize(1);
      assertThat(all(db)).extracting(Row::line).containsExactly("old but with a young neighbour", "yesterday");
    }
  }

  @Test
  void retentionBySizeDeletesTheOldestBlocksFirst() throws Exception {
    long t = Logs.T0;
    try (LogDb db = LogDb.open(dir, config().build())) {
      for (int i = 0; i < 4; i++) {
        List<LogEntry> entries = new ArrayList<>();
        java.util.Random r = new java.util.Random(i);
        for (int k = 0; k < 200; k++) {
          entries.add(entry(t + i * 1000L + k, Logs.jsonLine(r, Logs.traceId(r), k)));
        }
        LogAppender a = db.appender();
        a.append(Labels.of("block", "" + i), entries);
        a.commit();
        db.flush(true);
      }
      long blockBytes = db.blocks().get(0).sizeBytes();
      long wal = db.head().walBytes();
      db.close();
      try (LogDb limited = LogDb.open(dir, config().retentionBytes(wal + 2 * blockBytes + blockBytes / 2).build())) {
        limited.maintain();
        assertThat(limited.blocks()).hasSize(2);
        assertThat(Logs.all(limited)).extracting(r -> r.stream().get("block")).containsOnly("2", "3");
      }
    }
  }

  @Test
  void appendsQueriesAndUpkeepRunTogether() throws Exception {
    var cfg = config().chunkTargetBytes(8 * 1024).upkeepInterval(Duration.ofMillis(5))
        .chunkIdlePeriod(Duration.ofMillis(50)).wal(new WalConfig(256 * 1024, WalConfig.Sync.NEVER, null)).build();
    int writers = 4;
    int batches = 150;
    int perBatch = 20;
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    try (LogDb db = LogDb.open(dir, cfg)) {
      db.flushIntervalNanos = 0;
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            for (int b = 0; b < batches; b++) {
              LogAppender a = db.appender();
              List<LogEntry> entries = new ArrayList<>();
              for (int i = 0; i < perBatch; i++) {
                int n = b * perBatch + i;
                entries.add(entry(Logs.T0 + n, "writer " + id + " entry " + n + " needle" + (n % 7 == 0 ? "seven" : "")));
              }
              a.append(Labels.of("writer", "w" + id, "parity", "" + (b % 2)), entries);
              a.commit();
            }
          } catch (Throwable t) {
            failures.add(t);
          }
        }));
      }
      for (int q = 0; q < 2; q++) {
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            while (!done.get()) {
              // Per stream, a query sees a prefix of what its writer committed, in order, each entry once.
              SelectRequest r = new SelectRequest(List.of(LabelMatcher.equal("writer", "w1")), Long.MIN_VALUE,
                  Long.MAX_VALUE, SelectRequest.Direction.FORWARD, LineFilterHint.contains("needleseven"));
              long previous = Long.MIN_VALUE;
              try (EntryIterator it = db.querier().select(r)) {
                while (it.next()) {
                  if (it.timestampNanos() < previous) {
                    throw new AssertionError("out of order at " + it.timestampNanos());
                  }
                  previous = it.timestampNanos();
                }
              }
              db.querier().series(List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
            }
          } catch (Throwable t) {
            failures.add(t);
          }
        }));
      }
      for (int i = 0; i < writers; i++) {
        threads.get(i).join();
      }
      done.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).isEmpty();
      List<Row> rows = all(db);
      assertThat(rows).hasSize(writers * batches * perBatch);
      assertThat(rows.stream().map(r -> r.stream().get("writer") + r.ts()).distinct().count())
          .isEqualTo((long) writers * batches * perBatch);
      assertThat(db.blocks()).isNotEmpty();
    }
    try (LogDb db = LogDb.open(dir, cfg)) {
      assertThat(all(db)).hasSize(writers * batches * perBatch);
    }
  }
}

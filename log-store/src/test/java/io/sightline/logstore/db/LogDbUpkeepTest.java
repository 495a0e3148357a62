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
  void smallBlocksAreMergedWithoutChangingWhatQueriesSee() throws Exception {
    List<Row> before;
    try (LogDb db = LogDb.open(dir, config().build())) {
      for (int i = 0; i < 6; i++) {
        // Every block holds an entry at the same time of the same stream: the merge must keep their order.
        commit(db, Labels.of("app", "a"), entry(Logs.T0, "same time, block " + i), entry(Logs.T0 + i + 1, "a" + i));
        commit(db, Labels.of("app", "b" + (i % 2)), entry(Logs.T0 + i, "b" + i));
        db.flush(true);
      }
      commit(db, Labels.of("app", "a"), entry(Logs.T0, "same time, not yet checkpointed"));
      db.flushWithoutCheckpoint(true);
      before = all(db);
      assertThat(db.blocks()).hasSize(7);
      db.maintain();
      // The six checkpointed blocks become one; the last waits for a checkpoint.
      assertThat(db.blocks()).hasSize(2);
      assertThat(all(db)).containsExactlyElementsOf(before);
      assertThat(Logs.select(db, Logs.backward(List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).rows())
          .containsExactlyElementsOf(before.reversed().stream()
              .sorted(java.util.Comparator.comparingLong(Row::ts).reversed().thenComparing(Row::stream)).toList());
    }
    try (LogDb db = LogDb.open(dir, config().build())) {
      assertThat(all(db)).containsExactlyElementsOf(before);
      assertThat(all(db).stream().filter(r -> r.ts() == Logs.T0 && r.stream().get("app").equals("a"))
          .map(Row::line)).containsExactly("same time, block 0", "same time, block 1", "same time, block 2",
          "same time, block 3", "same time, block 4", "same time, block 5", "same time, not yet checkpointed");
    }
  }

  @Test
  void appendersRacingWithTheSameEntriesStoreEachOnce() throws Exception {
    try (LogDb db = LogDb.open(dir, config().build())) {
      Labels stream = Labels.of("app", "race");
      List<LogEntry> entries = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        entries.add(entry(Logs.T0 + i / 3, "line " + i));
      }
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            for (int from = 0; from < entries.size(); from += 100) {
              LogAppender a = db.appender();
              a.append(stream, entries.subList(from, from + 100));
              a.commit();
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).isEmpty();
      assertThat(all(db)).extracting(Row::line).containsExactlyInAnyOrderElementsOf(
          entries.stream().map(LogEntry::line).toList());
      assertThat(db.stats().entriesStored()).isEqualTo(2000);
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
                String tail = n % 7 == 0 ? "seven" : "";
                entries.add(entry(Logs.T0 + n, "writer " + id + " entry " + n + " needle" + tail));
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

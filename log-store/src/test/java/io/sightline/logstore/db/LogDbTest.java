package io.sightline.logstore.db;

import static io.sightline.logstore.db.Logs.SECOND;
import static io.sightline.logstore.db.Logs.T0;
import static io.sightline.logstore.db.Logs.all;
import static io.sightline.logstore.db.Logs.backward;
import static io.sightline.logstore.db.Logs.commit;
import static io.sightline.logstore.db.Logs.config;
import static io.sightline.logstore.db.Logs.entry;
import static io.sightline.logstore.db.Logs.forward;
import static io.sightline.logstore.db.Logs.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.AppendResult;
import io.sightline.logstore.HeadFullException;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.LogStoreStats;
import io.sightline.logstore.StreamLimitException;
import io.sightline.logstore.StreamStats;
import io.sightline.logstore.db.Logs.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDbTest {
  @TempDir
  Path dir;

  private static final Labels API = Labels.of("app", "api", "env", "prod");
  private static final Labels DB = Labels.of("app", "db", "env", "prod");
  private static final Labels DEV = Labels.of("app", "api", "env", "dev");

  private LogDb open() throws Exception {
    return LogDb.open(dir, config().build());
  }

  @Test
  void linesAndMetadataRoundTripFromTheHeadAndFromBlocks() throws Exception {
    List<LogEntry> in = List.of(
        entry(T0, "plain line"),
        entry(T0 + 1, "{\"msg\":\"ünïcødé ✓ 日本語\"}", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736",
            "span_id", "00f067aa0ba902b7", "severity", "error"),
        entry(T0 + 2, "", "attr_k", "v with spaces = and \"quotes\""),
        entry(T0 + 3, "line\nwith\ttabs and a very long tail " + "x".repeat(5000)));
    try (LogDb db = open()) {
      commit(db, API, in.toArray(new LogEntry[0]));
      assertThat(all(db)).containsExactlyElementsOf(expected(API, in));
      db.flush(true);
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.stats().headEntries()).isZero();
      assertThat(all(db)).containsExactlyElementsOf(expected(API, in));
    }
    try (LogDb db = open()) {
      assertThat(all(db)).containsExactlyElementsOf(expected(API, in));
    }
  }

  private static List<Row> expected(Labels stream, List<LogEntry> in) {
    return in.stream().map(e -> new Row(stream, e.timestampNanos(), e.line(), e.structuredMetadata())).toList();
  }

  @Test
  void entriesMergeByTimeThenLabelsThenStoredOrderInBothDirections() throws Exception {
    try (LogDb db = open()) {
      commit(db, DB, entry(T0 + 2, "db-2"), entry(T0 + 5, "db-5"));
      commit(db, API, entry(T0 + 1, "api-1"), entry(T0 + 2, "api-2a"), entry(T0 + 2, "api-2b"));
      db.flush(true);
      commit(db, API, entry(T0 + 3, "api-3"), entry(T0 + 2, "api-2c"));
      commit(db, DEV, entry(T0 + 4, "dev-4"));
      List<String> fwd = all(db).stream().map(Row::line).toList();
      assertThat(fwd).containsExactly("api-1", "api-2a", "api-2b", "api-2c", "db-2", "api-3", "dev-4", "db-5");
      List<String> bwd = select(db, backward(List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).rows().stream()
          .map(Row::line).toList();
      assertThat(bwd).containsExactly("db-5", "dev-4", "api-3", "api-2c", "api-2b", "api-2a", "db-2", "api-1");
    }
  }

  @Test
  void theRangeIsHalfOpenAndMatchersSelectStreams() throws Exception {
    try (LogDb db = open()) {
      for (Labels l : List.of(API, DB, DEV)) {
        commit(db, l, entry(T0, "a"), entry(T0 + SECOND, "b"), entry(T0 + 2 * SECOND, "c"));
      }
      db.flush(true);
      commit(db, Labels.of("app", "api", "env", "prod", "extra", "x"), entry(T0 + SECOND, "b"));
      assertThat(select(db, forward(List.of(LabelMatcher.equal("app", "db")), T0 + SECOND, T0 + 2 * SECOND))
          .rows()).extracting(Row::line).containsExactly("b");
      assertThat(select(db, forward(List.of(LabelMatcher.equal("env", "prod"), LabelMatcher.equal("extra", "")),
          T0, T0 + 3 * SECOND)).rows()).extracting(Row::stream).containsOnly(API, DB).hasSize(6);
      assertThat(select(db, forward(List.of(LabelMatcher.notEqual("env", "prod")), T0, T0 + 3 * SECOND)).rows())
          .extracting(Row::stream).containsOnly(DEV);
      assertThat(select(db, forward(List.of(LabelMatcher.regex("app", "a.*"), LabelMatcher.notRegex("env", "d.v")),
          T0 + SECOND, T0 + SECOND + 1)).rows()).extracting(Row::stream)
          .containsExactly(API, Labels.of("app", "api", "env", "prod", "extra", "x"));
      assertThat(select(db, forward(List.of(LabelMatcher.equal("app", "nope")), T0, T0 + 9 * SECOND)).rows())
          .isEmpty();
      assertThat(select(db, forward(List.of(), T0 + 5, T0 + 5)).rows()).isEmpty();
    }
  }

  @Test
  void outOfOrderEntriesAreAcceptedWithinTheWindowAndRefusedBeyondIt() throws Exception {
    try (LogDb db = LogDb.open(dir, config().outOfOrderWindow(Duration.ofSeconds(10)).build())) {
      commit(db, API, entry(T0 + 100 * SECOND, "newest"));
      LogAppender a = db.appender();
      AppendResult r = a.append(API, List.of(entry(T0 + 95 * SECOND, "5 s behind"),
          entry(T0 + 80 * SECOND, "20 s behind"), entry(T0 + 89 * SECOND, "11 s behind"),
          entry(T0 + 90 * SECOND, "exactly at the window")));
      a.commit();
      assertThat(r.stored()).isEqualTo(2);
      assertThat(r.tooFarBehind()).isEqualTo(2);
      assertThat(r.firstTooFarBehindNanos()).isEqualTo(T0 + 80 * SECOND);
      assertThat(r.oldestAcceptedNanos()).isEqualTo(T0 + 90 * SECOND);
      assertThat(all(db)).extracting(Row::line).containsExactly("exactly at the window", "5 s behind", "newest");
      assertThat(db.stats().entriesRefused()).isEqualTo(2);
      // The window counts from the newest entry, also one that came earlier in the same batch.
      a = db.appender();
      r = a.append(DB, List.of(entry(T0 + 100 * SECOND, "x"), entry(T0 + 50 * SECOND, "old")));
      assertThat(r.tooFarBehind()).isEqualTo(1);
      a.rollback();
      // ... and survives the stream's chunks going to a block.
      db.flush(true);
      a = db.appender();
      assertThat(a.append(API, List.of(entry(T0 + 85 * SECOND, "still too old"))).tooFarBehind()).isEqualTo(1);
    }
  }

  @Test
  void exactDuplicatesAreDroppedSilently() throws Exception {
    try (LogDb db = open()) {
      commit(db, API, entry(T0, "a"), entry(T0 + 1, "b"));
      LogAppender a = db.appender();
      AppendResult r = a.append(API, List.of(entry(T0, "a"), entry(T0, "a but different"), entry(T0 + 1, "b"),
          entry(T0 + 2, "c"), entry(T0 + 2, "c")));
      a.commit();
      assertThat(r.duplicates()).isEqualTo(3);
      assertThat(r.stored()).isEqualTo(2);
      // Another stream may hold the same entry.
      commit(db, DB, entry(T0, "a"));
      assertThat(all(db)).extracting(Row::line).containsExactly("a", "a but different", "a", "b", "c");
      // Two appenders racing past the append-time check: the head drops the second at commit.
      LogAppender x = db.appender();
      LogAppender y = db.appender();
      x.append(API, List.of(entry(T0 + 3, "d")));
      y.append(API, List.of(entry(T0 + 3, "d")));
      x.commit();
      y.commit();
      assertThat(all(db)).extracting(Row::line).containsOnlyOnce("d");
    }
  }

  @Test
  void theStreamLimitRefusesNewStreamsOnly() throws Exception {
    try (LogDb db = LogDb.open(dir, config().maxStreams(2).build())) {
      commit(db, API, entry(T0, "a"));
      LogAppender a = db.appender();
      a.append(DB, List.of(entry(T0, "b")));
      assertThatThrownBy(() -> a.append(DEV, List.of(entry(T0, "c")))).isInstanceOf(StreamLimitException.class)
          .hasMessage("maximum active stream limit exceeded (limit: 2)");
      a.append(API, List.of(entry(T0 + 1, "d")));
      a.commit();
      assertThat(all(db)).extracting(Row::line).containsExactly("a", "b", "d");
      assertThat(db.stats().activeStreams()).isEqualTo(2);
    }
  }

  @Test
  void aFullHeadRefusesCommitsUntilChunksAreWritten() throws Exception {
    try (LogDb db = LogDb.open(dir, config().maxHeadBytes(1000).build())) {
      commit(db, API, entry(T0, "x".repeat(600)));
      LogAppender a = db.appender();
      a.append(API, List.of(entry(T0 + 1, "y".repeat(600))));
      assertThatThrownBy(a::commit).isInstanceOf(HeadFullException.class).hasMessageContaining("1000 bytes");
      db.flush(true);
      a.commit();
      assertThat(all(db)).hasSize(2);
    }
  }

  @Test
  void rollbackForgetsTheBatch() throws Exception {
    try (LogDb db = open()) {
      LogAppender a = db.appender();
      a.append(API, List.of(entry(T0, "gone")));
      a.rollback();
      a.commit();
      a.append(API, List.of(entry(T0, "kept")));
      a.commit();
      assertThat(all(db)).extracting(Row::line).containsExactly("kept");
    }
  }

  @Test
  void chunksAreCutAtTheTargetSizeAndByAge() throws Exception {
    try (LogDb db = LogDb.open(dir, config().chunkTargetBytes(1000).maxChunkAge(Duration.ofMinutes(1)).build())) {
      for (int i = 0; i < 50; i++) {
        commit(db, API, entry(T0 + i, "line number " + i + " " + "p".repeat(80)));
      }
      commit(db, DB, entry(T0, "first"), entry(T0 + 2 * 60 * SECOND, "two minutes later"));
      db.maintain();
      db.flush(false);
      // 50 lines of ~95 bytes in chunks of ≥ 1000 bytes, and the old db chunk; api's last chunk stays open.
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.blocks().get(0).chunkCount()).isEqualTo(4 + 1);
      assertThat(db.stats().headEntries()).isEqualTo(50 - 4 * 11);
      assertThat(all(db)).hasSize(52);
    }
  }

  @Test
  void idleChunksAreCut() throws Exception {
    try (LogDb db = LogDb.open(dir, config().chunkIdlePeriod(Duration.ofMillis(1)).build())) {
      commit(db, API, entry(T0, "a"));
      Thread.sleep(5);
      db.maintain();
      db.flush(false);
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.stats().headEntries()).isZero();
      // The stream, empty and idle, no longer counts as active.
      db.maintain();
      assertThat(db.stats().activeStreams()).isZero();
    }
  }

  @Test
  void seriesLabelsAndStreamStatsCoverTheRange() throws Exception {
    try (LogDb db = open()) {
      commit(db, API, entry(T0, "aaaa", "trace_id", "t1"), entry(T0 + 10 * SECOND, "bb"));
      commit(db, DB, entry(T0 + 100 * SECOND, "late"));
      db.flush(true);
      commit(db, DEV, entry(T0 + 5 * SECOND, "cc"));
      var q = db.querier();
      assertThat(q.series(List.of(), T0, T0 + 20 * SECOND)).containsExactly(DEV, API);
      assertThat(q.series(List.of(LabelMatcher.equal("app", "db")), T0, T0 + 200 * SECOND)).containsExactly(DB);
      assertThat(q.labelNames(List.of(), T0, T0 + 200 * SECOND)).containsExactly("app", "env");
      assertThat(q.labelValues("env", List.of(), T0, T0 + 20 * SECOND)).containsExactly("dev", "prod");
      assertThat(q.labelValues("app", List.of(LabelMatcher.equal("env", "dev")), T0, T0 + 20 * SECOND))
          .containsExactly("api");
      assertThat(q.streamStats(List.of(), T0, T0 + 20 * SECOND)).containsExactly(
          new StreamStats(DEV, 1, 1, 2), new StreamStats(API, 1, 2, 4 + 2 + "trace_id".length() + 2));
    }
  }

  @Test
  void statsCountWhatTheStoreHolds() throws Exception {
    try (LogDb db = open()) {
      commit(db, API, entry(T0, "a"), entry(T0 + 1, "b"));
      commit(db, DB, entry(T0, "c"));
      LogStoreStats s = db.stats();
      assertThat(s.activeStreams()).isEqualTo(2);
      assertThat(s.headEntries()).isEqualTo(3);
      assertThat(s.entriesStored()).isEqualTo(3);
      db.flush(true);
      s = db.stats();
      assertThat(s.chunksOnDisk()).isEqualTo(2);
      assertThat(s.headEntries()).isZero();
      assertThat(s.bytesOnDisk()).isPositive();
    }
  }

  @Test
  void closeWritesTheHeadToBlocksAndTheReopenedStoreReadsThem() throws Exception {
    try (LogDb db = open()) {
      commit(db, API, entry(T0, "a"), entry(T0 + 1, "b"));
    }
    try (LogDb db = open()) {
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.stats().headEntries()).isZero();
      assertThat(all(db)).extracting(Row::line).containsExactly("a", "b");
    }
  }

  @Test
  void manyStreamsAndEntriesComeBackComplete() throws Exception {
    List<Row> expected = new ArrayList<>();
    try (LogDb db = LogDb.open(dir, config().chunkTargetBytes(4096).build())) {
      for (int round = 0; round < 5; round++) {
        LogAppender a = db.appender();
        for (int s = 0; s < 20; s++) {
          Labels l = Labels.of("app", "svc" + s);
          List<LogEntry> entries = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            long ts = T0 + (round * 50L + i) * 1000 + s;
            LogEntry e = entry(ts, "svc" + s + " round " + round + " entry " + i, "n", "" + i);
            entries.add(e);
            expected.add(new Row(l, ts, e.line(), e.structuredMetadata()));
          }
          a.append(l, entries);
        }
        a.commit();
        if (round % 2 == 1) {
          db.flush(false);
        }
      }
      expected.sort(java.util.Comparator.comparingLong(Row::ts).thenComparing(Row::stream));
      assertThat(all(db)).containsExactlyElementsOf(expected);
      assertThat(select(db, backward(List.of(), Long.MIN_VALUE, Long.MAX_VALUE)).rows())
          .containsExactlyElementsOf(expected.reversed());
    }
  }
}

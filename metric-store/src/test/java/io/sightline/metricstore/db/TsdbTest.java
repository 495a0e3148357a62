package io.sightline.metricstore.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.wal.WalConfig;
import io.sightline.metricstore.Appender;
import io.sightline.metricstore.Appender.Outcome;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.metricstore.SeriesRef;
import io.sightline.metricstore.block.Block;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbTest {
  private static final long HOUR = 3600_000L;
  private static final long STEP = 15_000L;

  @TempDir
  Path dir;

  /** Upkeep only when the test asks for it. */
  private static TsdbOptions options() {
    return new TsdbOptions(new WalConfig(1 << 20, WalConfig.Sync.NEVER, null), 10 * 60_000L, 1000,
        TsdbOptions.DEFAULT_BLOCK_RANGE_MS, 0, 0, Duration.ofHours(1));
  }

  private static Labels series(int i) {
    return Labels.of("__name__", "m", "i", Integer.toString(i), "pod", "p" + (i % 3));
  }

  /** Ten series, one sample every 15 s in [from, to), value = time in seconds + series number. */
  private static void write(Tsdb db, long from, long to) throws IOException {
    Appender a = db.appender();
    for (long t = from; t < to; t += STEP) {
      for (int i = 0; i < 10; i++) {
        assertThat(a.append(series(i), t, t / 1000.0 + i)).isEqualTo(Outcome.ACCEPTED);
      }
      if ((t / STEP) % 500 == 0) {
        a.commit();
      }
    }
    a.commit();
  }

  /** Every sample of every series of m, checked against what {@link #write} wrote in [from, to). */
  private static void assertHolds(Tsdb db, long from, long to) {
    List<Series> all = db.querier().select(List.of(LabelMatcher.equal("__name__", "m")), Long.MIN_VALUE,
        Long.MAX_VALUE);
    assertThat(all).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(all.get(i).labels()).isEqualTo(sorted().get(i));
      int n = Integer.parseInt(all.get(i).labels().get("i"));
      SampleIterator it = all.get(i).iterator(Long.MIN_VALUE, Long.MAX_VALUE);
      long expected = from;
      while (it.next()) {
        assertThat(it.timestamp()).isEqualTo(expected);
        assertThat(it.value()).isEqualTo(expected / 1000.0 + n);
        expected += STEP;
      }
      assertThat(expected).as("series %s ends at", n).isEqualTo(to);
    }
  }

  private static List<Labels> sorted() {
    List<Labels> l = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      l.add(series(i));
    }
    l.sort(Labels::compareTo);
    return l;
  }

  @Test
  void samplesTooFarAheadOfTheClockAreRefused() throws IOException {
    long now = System.currentTimeMillis();
    try (Tsdb db = Tsdb.open(dir, options())) {
      Appender a = db.appender();
      assertThat(a.append(series(1), now + 9 * 60_000L, 1)).isEqualTo(Outcome.ACCEPTED);
      assertThat(a.append(series(2), now + 11 * 60_000L, 1)).isEqualTo(Outcome.TOO_FAR_IN_FUTURE);
      assertThat(a.appendHistogram(a.ref(series(3)), now + 3600_000L, io.sightline.core.model.Histogram.staleMarker()))
          .isEqualTo(Outcome.TOO_FAR_IN_FUTURE);
      a.commit();
    }
    try (Tsdb db = Tsdb.open(dir, options().withMaxAhead(0))) { // 0: no limit
      assertThat(db.appender().append(series(2), now + 365 * 24 * 3600_000L, 1)).isEqualTo(Outcome.ACCEPTED);
    }
  }

  @Test
  void theHeadIsCutIntoBlocksThatAnswerQueriesAndSurviveAReopen() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 7 * HOUR);
      db.maintain();
      // The head keeps at most 1.5 block ranges beyond its oldest range: [0, 2h) and [2h, 4h) went to blocks.
      assertThat(db.blocks()).extracting(b -> b.meta().minTime() + "-" + b.meta().maxTime())
          .containsExactly("0-" + 2 * HOUR, 2 * HOUR + "-" + 4 * HOUR);
      assertThat(db.blocks().get(0).meta().numSamples()).isEqualTo(10 * 2 * HOUR / STEP);
      assertThat(db.blocks().get(0).meta().numSeries()).isEqualTo(10);
      assertThat(db.head().minValidTime()).isEqualTo(4 * HOUR);
      assertHolds(db, 0, 7 * HOUR);
      // A range inside one block, one across a block and the head.
      Series one = db.querier().select(List.of(LabelMatcher.equal("i", "3")), 3 * HOUR, 5 * HOUR).get(0);
      SampleIterator it = one.iterator(3 * HOUR, 5 * HOUR);
      int n = 0;
      while (it.next()) {
        n++;
      }
      assertThat(n).isEqualTo(2 * HOUR / STEP + 1);
      assertThat(db.appender().append(series(1), 4 * HOUR - STEP, 1)).isEqualTo(Outcome.TOO_OLD);
      assertThat(db.querier().labelValues("pod", List.of())).containsExactly("p0", "p1", "p2");
      assertThat(db.querier().labelNames(List.of(LabelMatcher.equal("i", "2")))).containsExactly("__name__", "i",
          "pod");
    }
    try (Stream<Path> wal = Files.list(dir.resolve("wal"))) {
      assertThat(wal.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("checkpoint."));
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(db.blocks()).hasSize(2);
      assertThat(db.head().minValidTime()).isEqualTo(4 * HOUR);
      assertHolds(db, 0, 7 * HOUR);
      write(db, 7 * HOUR, 8 * HOUR);
      assertHolds(db, 0, 8 * HOUR);
    }
  }

  @Test
  void threeBlocksOfOneLargerRangeAreMergedOnceTheHeadHasLeftIt() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 10 * HOUR);
      db.maintain();
      // [0,2h) [2h,4h) [4h,6h) were cut, then merged into [0,6h); [6h,8h) waits for its group.
      assertThat(db.blocks()).extracting(b -> b.meta().minTime() + "-" + b.meta().maxTime() + "@" + b.meta().level())
          .containsExactly("0-" + 6 * HOUR + "@2", 6 * HOUR + "-" + 8 * HOUR + "@1");
      assertThat(db.blocks().get(0).meta().sources()).hasSize(3);
      assertThat(db.blocks().get(0).meta().numSamples()).isEqualTo(10 * 6 * HOUR / STEP);
      assertHolds(db, 0, 10 * HOUR);
      try (Stream<Path> blocks = Files.list(dir.resolve("blocks"))) {
        assertThat(blocks).hasSize(2); // the sources are gone
      }
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertHolds(db, 0, 10 * HOUR);
    }
  }

  @Test
  void retentionDeletesWholeBlocksByAgeAndBySize() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 10 * HOUR);
      db.maintain();
    }
    // 10h is the newest sample: a 3h retention ends at 7h, so [0,6h) goes and [6h,8h) stays.
    try (Tsdb db = Tsdb.open(dir, options().withRetention(3 * HOUR, 0))) {
      db.maintain();
      assertThat(db.blocks()).extracting(b -> b.meta().minTime()).containsExactly(6 * HOUR);
      Series s = db.querier().select(List.of(LabelMatcher.equal("i", "0")), Long.MIN_VALUE, Long.MAX_VALUE).get(0);
      SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(6 * HOUR);
    }
    // One byte of size retention leaves no block at all; the head is not touched.
    try (Tsdb db = Tsdb.open(dir, options().withRetention(0, 1))) {
      db.maintain();
      assertThat(db.blocks()).isEmpty();
      assertThat(db.querier().select(List.of(LabelMatcher.equal("i", "0")), 8 * HOUR, 10 * HOUR)).hasSize(1);
    }
  }

  @Test
  void aDamagedBlockIsSetAsideAndTheRestOpens() throws IOException {
    String damaged;
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 7 * HOUR);
      db.maintain();
      damaged = db.blocks().get(0).meta().ulid();
    }
    Path index = dir.resolve("blocks").resolve(damaged).resolve("index");
    try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
      f.seek(20);
      int b = f.read();
      f.seek(20);
      f.write(b ^ 0xFF);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(db.blocks()).extracting(b -> b.meta().minTime()).containsExactly(2 * HOUR);
      assertThat(dir.resolve("blocks").resolve(damaged + ".corrupted")).isDirectory();
      assertThat(db.querier().select(List.of(LabelMatcher.equal("i", "0")), 2 * HOUR, 7 * HOUR)).hasSize(1);
    }
  }

  @Test
  void aDamagedChunkFailsItsChecksumInsteadOfReturningWrongSamples() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 7 * HOUR);
      db.maintain();
      Block first = db.blocks().get(0);
      Path chunks = first.dir().resolve("chunks").resolve("000001");
      try (RandomAccessFile f = new RandomAccessFile(chunks.toFile(), "rw")) {
        f.seek(40);
        int b = f.read();
        f.seek(40);
        f.write(b ^ 0xFF);
      }
      Series s = db.querier().select(List.of(LabelMatcher.regex("i", ".+")), 0, HOUR).get(0);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.iterator(0, HOUR).next())
          .isInstanceOf(io.sightline.metricstore.block.CorruptBlockException.class)
          .hasMessageContaining("fails its checksum");
    }
  }

  @Test
  void seriesWithNoDataLeftLeaveTheHeadAndTheirHandlesLeadToASuccessor() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      Appender a = db.appender();
      Labels gone = Labels.of("__name__", "short_lived");
      SeriesRef ref = a.ref(gone);
      a.append(ref, 0, 1);
      a.commit();
      write(db, 0, 7 * HOUR);
      db.maintain();
      assertThat(ref.valid()).isFalse();
      assertThat(db.head().numSeries()).isEqualTo(10);
      // Still readable from its block; and a new sample through the old handle lands in a new head series.
      assertThat(db.querier().select(List.of(LabelMatcher.equal("__name__", "short_lived")), 0, 0)).hasSize(1);
      a = db.appender();
      assertThat(a.append(ref, 6 * HOUR, 2)).isEqualTo(Outcome.ACCEPTED);
      a.commit();
      List<Series> found = db.querier().select(List.of(LabelMatcher.equal("__name__", "short_lived")),
          Long.MIN_VALUE, Long.MAX_VALUE);
      assertThat(found).hasSize(1);
      SampleIterator it = found.get(0).iterator(Long.MIN_VALUE, Long.MAX_VALUE);
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isZero();
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(6 * HOUR);
      assertThat(it.next()).isFalse();
    }
  }

  @Test
  void nothingAcknowledgedIsLostWhenTheProcessDiesAfterACheckpoint() throws IOException {
    Tsdb first = Tsdb.open(dir, options());
    write(first, 0, 7 * HOUR);
    first.maintain();
    write(first, 7 * HOUR, 8 * HOUR);
    // No close: the WAL is left as a killed process leaves it (every commit reached the file).
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertHolds(db, 0, 8 * HOUR);
    }
  }

  @Test
  void blocksCutWhileWritersCommitLoseAndDuplicateNothing() throws Exception {
    try (Tsdb db = Tsdb.open(dir, options())) {
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          write(db, 0, 12 * HOUR);
        } catch (Throwable e) {
          failure.set(e);
        } finally {
          done.set(true);
        }
      });
      writer.start();
      int rounds = 0;
      while (!done.get()) {
        db.maintain();
        rounds++;
      }
      writer.join();
      assertThat(failure.get()).isNull();
      db.maintain();
      assertThat(rounds).isPositive();
      assertThat(db.blocks()).isNotEmpty();
      assertHolds(db, 0, 12 * HOUR);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertHolds(db, 0, 12 * HOUR);
    }
  }

  @Test
  void aSnapshotHoldsTheBlocksAndTheHeadAsBlocks() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 7 * HOUR);
      db.maintain();
      String name = db.snapshot(false);
      Path snapshot = dir.resolve("snapshots").resolve(name);
      long samples = 0;
      List<Long> starts = new ArrayList<>();
      try (Stream<Path> blocks = Files.list(snapshot)) {
        for (Path b : (Iterable<Path>) blocks::iterator) {
          Block block = Block.open(b);
          samples += block.meta().numSamples();
          starts.add(block.meta().minTime());
        }
      }
      assertThat(samples).isEqualTo(10 * 7 * HOUR / STEP);
      assertThat(starts).containsExactlyInAnyOrder(0L, 2 * HOUR, 4 * HOUR);
      // Blocks are linked, not copied; the store goes on as before.
      Path original = db.blocks().get(0).dir().resolve("index");
      assertThat(Files.isSameFile(original, snapshot.resolve(db.blocks().get(0).meta().ulid()).resolve("index")))
          .isTrue();
      assertThat(db.snapshot(true)).isNotEqualTo(name);
      assertHolds(db, 0, 7 * HOUR);
    }
  }

  /** The timestamps of series {@code i} in the whole store. */
  private static List<Long> times(Tsdb db, int i) {
    List<Long> out = new ArrayList<>();
    for (Series s : db.querier().select(List.of(LabelMatcher.equal("i", Integer.toString(i))), Long.MIN_VALUE,
        Long.MAX_VALUE)) {
      SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE);
      while (it.next()) {
        out.add(it.timestamp());
      }
    }
    return out;
  }

  @Test
  void deletedSamplesStayDeletedAcrossBlocksHeadRestartsMergesAndCleaning() throws IOException {
    long from = HOUR;
    long to = 5 * HOUR;
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 7 * HOUR);
      db.maintain(); // blocks [0,2h) [2h,4h), head [4h,7h)
      db.deleteSeries(List.of(LabelMatcher.equal("i", "3")), from, to);
      assertThat(times(db, 3)).hasSize((int) ((7 * HOUR - (to - from) - STEP) / STEP))
          .allMatch(t -> t < from || t > to);
      assertThat(times(db, 4)).hasSize((int) (7 * HOUR / STEP));
      // A whole series gone from the blocks' range disappears from series lists too.
      db.deleteSeries(List.of(LabelMatcher.equal("i", "5")), 0, 4 * HOUR - 1);
      assertThat(db.querier().select(List.of(LabelMatcher.equal("i", "5")), 0, 4 * HOUR - 1)).isEmpty();
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(times(db, 3)).allMatch(t -> t < from || t > to).hasSize((int) ((7 * HOUR - (to - from) - STEP)
          / STEP));
      write(db, 7 * HOUR, 10 * HOUR);
      db.maintain(); // [0,6h) is merged: the tombstones are applied for good
      assertThat(db.blocks()).noneMatch(Block::hasTombstones);
      assertThat(times(db, 3)).allMatch(t -> t < from || t > to);
      db.deleteSeries(List.of(LabelMatcher.equal("i", "4")), 0, HOUR);
      assertThat(db.blocks().get(0).hasTombstones()).isTrue();
      db.cleanTombstones();
      assertThat(db.blocks()).noneMatch(Block::hasTombstones);
      assertThat(times(db, 4).get(0)).isEqualTo(HOUR + STEP);
      assertThat(times(db, 6)).hasSize((int) (10 * HOUR / STEP));
    }
  }

  @Test
  void labelQueriesBoundedInTimeSkipBlocksOutsideTheRange() throws IOException {
    try (Tsdb db = Tsdb.open(dir, options())) {
      Appender a = db.appender();
      a.append(Labels.of("__name__", "early_only", "phase", "boot"), 60_000, 1);
      a.commit();
      write(db, 0, 7 * HOUR);
      db.maintain(); // early_only lives in the [0, 2h) block alone
      assertThat(db.querier().labelValues("__name__", List.of())).contains("early_only", "m");
      assertThat(db.querier().labelValues("__name__", List.of(), 5 * HOUR, 6 * HOUR)).containsExactly("m");
      assertThat(db.querier().labelNames(List.of(), 5 * HOUR, 6 * HOUR)).doesNotContain("phase");
      assertThat(db.querier().labelNames(List.of(), 0, HOUR)).contains("phase");
      assertThat(db.querier().labelValues("phase", List.of(LabelMatcher.equal("__name__", "early_only")), 0, HOUR))
          .containsExactly("boot");
    }
  }
}

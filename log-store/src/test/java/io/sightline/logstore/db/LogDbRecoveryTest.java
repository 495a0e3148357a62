package io.sightline.logstore.db;

import static io.sightline.logstore.db.Logs.T0;
import static io.sightline.logstore.db.Logs.all;
import static io.sightline.logstore.db.Logs.commit;
import static io.sightline.logstore.db.Logs.config;
import static io.sightline.logstore.db.Logs.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import io.sightline.core.model.LogEntry;
import io.sightline.logstore.LogAppender;
import io.sightline.logstore.block.FileNames;
import io.sightline.logstore.db.Logs.Row;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crashes (a store closed without flushing, as a killed process leaves it), torn WAL tails and damaged blocks. */
class LogDbRecoveryTest {
  @TempDir
  Path dir;

  private static final Labels API = Labels.of("app", "api");
  private static final Labels DB = Labels.of("app", "db");

  private LogDb open() throws Exception {
    return LogDb.open(dir, config().chunkTargetBytes(2000).build());
  }

  private static List<LogEntry> entries(int from, int n) {
    List<LogEntry> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(entry(T0 + i, "entry " + i + " " + "z".repeat(i % 50), "i", "" + i));
    }
    return out;
  }

  private static void commit(LogDb db, Labels l, List<LogEntry> entries) throws Exception {
    LogAppender a = db.appender();
    a.append(l, entries);
    a.commit();
  }

  private static List<String> lines(LogDb db) throws Exception {
    return all(db).stream().map(Row::line).toList();
  }

  private static List<String> expectedLines(int n) {
    return entries(0, n).stream().map(LogEntry::line).toList();
  }

  @Test
  void aKilledStoreReplaysItsWal() throws Exception {
    LogDb db = open();
    commit(db, API, entries(0, 10));
    db.closeWithoutFlush();
    try (LogDb reopened = open()) {
      assertThat(all(reopened)).extracting(Row::line).containsExactlyElementsOf(expectedLines(10));
      assertThat(all(reopened).get(3).metadata()).isEqualTo(Labels.of("i", "3"));
    }
  }

  @Test
  void replayLeavesOutWhatBlocksWrittenBeforeTheCrashHold() throws Exception {
    LogDb db = open();
    commit(db, API, entries(0, 100));
    commit(db, DB, entries(0, 3));
    // A block of the sealed chunks; api's open chunk and all of db stay in the head, the WAL keeps every segment.
    db.flushWithoutCheckpoint(false);
    assertThat(db.blocks()).hasSize(1);
    commit(db, API, entries(100, 20));
    db.flushWithoutCheckpoint(true);
    commit(db, API, entries(120, 5));
    db.closeWithoutFlush();
    try (LogDb reopened = open()) {
      assertThat(lines(reopened)).containsExactlyInAnyOrderElementsOf(concat(expectedLines(125), expectedLines(3)));
    }
    // Opening checkpointed the replayed head: a second crash and reopen still holds everything once.
    try (LogDb reopened = open()) {
      assertThat(lines(reopened)).containsExactlyInAnyOrderElementsOf(concat(expectedLines(125), expectedLines(3)));
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void checkpointsLetOldWalSegmentsGo() throws Exception {
    try (LogDb db = open()) {
      commit(db, API, entries(0, 50));
      db.flushWithoutCheckpoint(false);
      commit(db, API, entries(50, 50));
      Path walDir = dir.resolve(FileNames.WAL_DIR);
      int before = segments(walDir);
      db.flush(false);
      assertThat(segments(walDir)).isLessThan(before);
      commit(db, API, entries(100, 10));
      db.closeWithoutFlush();
    }
    try (LogDb db = open()) {
      assertThat(lines(db)).containsExactlyElementsOf(expectedLines(110));
    }
  }

  private static int segments(Path walDir) throws Exception {
    try (Stream<Path> s = Files.list(walDir)) {
      return (int) s.filter(p -> p.getFileName().toString().matches("\\d{8}")).count();
    }
  }

  @Test
  void aTornWalTailIsCutBackAndEverythingBeforeItKept() throws Exception {
    LogDb db = open();
    commit(db, API, entries(0, 10));
    db.closeWithoutFlush();
    Path walDir = dir.resolve(FileNames.WAL_DIR);
    Path last;
    try (Stream<Path> s = Files.list(walDir)) {
      last = s.filter(p -> p.getFileName().toString().matches("\\d{8}")).sorted().reduce((a, b) -> b).orElseThrow();
    }
    // Half a record's header and some garbage, as a write torn by power loss leaves them.
    try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 0, 40, 7, 7, 7, 7, 9, 9}));
    }
    try (LogDb reopened = open()) {
      assertThat(lines(reopened)).containsExactlyElementsOf(expectedLines(10));
      commit(reopened, API, entries(10, 1));
    }
    try (LogDb reopened = open()) {
      assertThat(lines(reopened)).containsExactlyElementsOf(expectedLines(11));
    }
  }

  @Test
  void aBatchOfSixteenMebibytesFitsOneWalRecord() throws Exception {
    List<LogEntry> big = new ArrayList<>();
    String pad = "b".repeat(16 * 1024);
    for (int i = 0; i < 1024; i++) {
      big.add(entry(T0 + i, i + pad));
    }
    LogDb db = LogDb.open(dir, config().build());
    commit(db, API, big);
    db.closeWithoutFlush();
    try (LogDb reopened = LogDb.open(dir, config().build())) {
      List<Row> rows = all(reopened);
      assertThat(rows).hasSize(1024);
      assertThat(rows.get(1023).line()).isEqualTo(1023 + pad);
    }
  }

  @Test
  void aBlockWithADamagedIndexIsSetAsideAndTheRestStaysReadable() throws Exception {
    try (LogDb db = open()) {
      commit(db, API, entries(0, 5));
      db.flush(true);
      commit(db, DB, entries(0, 5));
      db.flush(true);
    }
    Path first = blockFiles().get(0);
    long size = Files.size(first);
    try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xee}), size - 30);
    }
    try (LogDb db = open()) {
      assertThat(db.blocks()).hasSize(1);
      assertThat(all(db)).extracting(Row::stream).containsOnly(DB).hasSize(5);
    }
    assertThat(Files.exists(first.resolveSibling(first.getFileName() + FileNames.CORRUPTED_SUFFIX))).isTrue();
  }

  @Test
  void aDamagedChunkIsSkippedByQueriesAndTheOthersAreRead() throws Exception {
    try (LogDb db = LogDb.open(dir, config().chunkTargetBytes(500).build())) {
      commit(db, API, entries(0, 60));
      db.flush(true);
      var b = db.blocks().get(0);
      var ref = b.chunks(0)[1];
      assertThat(b.chunkCount()).isGreaterThan(2);
      try (FileChannel ch = FileChannel.open(b.file(), StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x66, 0x77}), ref.offset() + ref.length() / 2);
      }
      List<Row> rows = all(db);
      assertThat(rows).hasSize(60 - ref.entries());
      assertThat(rows).extracting(Row::line).doesNotContainAnyElementsOf(
          expectedLines(60).subList((int) (ref.minTs() - T0), (int) (ref.maxTs() - T0) + 1));
    }
  }

  @Test
  void unfinishedBlocksAreDeletedOnOpen() throws Exception {
    Path blocks = dir.resolve(FileNames.BLOCKS_DIR);
    Files.createDirectories(blocks);
    Path tmp = blocks.resolve("01JD0000000000000000000000" + FileNames.TMP_SUFFIX);
    Files.write(tmp, new byte[] {1, 2, 3});
    try (LogDb db = open()) {
      assertThat(db.blocks()).isEmpty();
    }
    assertThat(Files.exists(tmp)).isFalse();
  }

  @Test
  void walSegmentsReplayInOrderAcrossManySegments() throws Exception {
    var cfg = config().wal(new io.sightline.core.wal.WalConfig(64 * 1024, io.sightline.core.wal.WalConfig.Sync.NEVER,
        null)).build();
    LogDb db = LogDb.open(dir, cfg);
    for (int i = 0; i < 40; i++) {
      commit(db, API, entries(i * 10, 10));
    }
    db.closeWithoutFlush();
    try (LogDb reopened = LogDb.open(dir, cfg)) {
      assertThat(lines(reopened)).containsExactlyElementsOf(expectedLines(400));
    }
  }

  @Test
  void aPushLargerThanASegmentIsSplitIntoRecordsThatFit() throws Exception {
    var cfg = config().wal(new io.sightline.core.wal.WalConfig(64 * 1024, io.sightline.core.wal.WalConfig.Sync.NEVER,
        null)).build();
    List<LogEntry> big = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      big.add(entry(T0 + i, "entry " + i + " " + "w".repeat(500), "i", "" + i));
    }
    LogDb db = LogDb.open(dir, cfg);
    commit(db, API, big);
    db.closeWithoutFlush();
    try (LogDb reopened = LogDb.open(dir, cfg)) {
      assertThat(all(reopened)).extracting(Row::line).containsExactlyElementsOf(
          big.stream().map(LogEntry::line).toList());
    }
  }

  private List<Path> blockFiles() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve(FileNames.BLOCKS_DIR))) {
      return s.filter(p -> p.toString().endsWith(FileNames.BLOCK_SUFFIX)).sorted().toList();
    }
  }
}

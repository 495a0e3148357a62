package io.sightline.core.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  /** Small segments, so that a test crosses many of them. */
  private static final WalConfig SMALL = new WalConfig(4 * Segment.PAGE_SIZE, WalConfig.Sync.NEVER, Duration.ofSeconds(1));

  @TempDir
  Path dir;

  private static List<byte[]> records(long seed, int count) {
    Random random = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int size = switch (i % 5) {
        case 0 -> 0;
        case 1 -> random.nextInt(100);
        case 2 -> random.nextInt(4_000);
        case 3 -> Segment.PAGE_SIZE - Segment.HEADER_SIZE + random.nextInt(3) - 1; // around one page
        default -> random.nextInt(3 * Segment.PAGE_SIZE); // spans pages
      };
      byte[] r = new byte[size];
      random.nextBytes(r);
      if (size > 0) {
        r[0] = (byte) i; // so that records of the same size differ
      }
      out.add(r);
    }
    return out;
  }

  private List<byte[]> replay() throws IOException {
    List<byte[]> out = new ArrayList<>();
    Wal.replay(dir, 0, (s, r) -> out.add(r));
    return out;
  }

  @Test
  void recordsComeBackInOrderAcrossPagesAndSegments() throws IOException {
    List<byte[]> written = records(1, 200);
    try (Wal wal = Wal.open(dir, SMALL)) {
      for (int i = 0; i < written.size(); i += 7) {
        wal.append(written.subList(i, Math.min(written.size(), i + 7)));
      }
      assertThat(wal.segments().size()).isGreaterThan(10);
    }
    assertThat(replay()).containsExactlyElementsOf(written);
  }

  @Test
  void reopeningStartsANewSegmentAndKeepsEverything() throws IOException {
    List<byte[]> first = records(2, 30);
    List<byte[]> second = records(3, 30);
    int lastSegment;
    try (Wal wal = Wal.open(dir, WalConfig.defaults())) {
      wal.append(first);
      lastSegment = wal.segmentIndex();
    }
    try (Wal wal = Wal.open(dir, WalConfig.defaults())) {
      assertThat(wal.segmentIndex()).isEqualTo(lastSegment + 1);
      wal.append(second);
    }
    List<byte[]> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(replay()).containsExactlyElementsOf(all);
  }

  @Test
  void aTornTailIsCutBackToTheLastCompleteRecordAtEveryOffset() throws IOException {
    List<byte[]> written = records(4, 40);
    Path reference = dir.resolve("reference");
    try (Wal wal = Wal.open(reference, WalConfig.defaults())) {
      for (byte[] r : written) {
        wal.append(r);
      }
    }
    byte[] segment = Files.readAllBytes(Segment.path(reference, 0));
    Random random = new Random(5);
    for (int trial = 0; trial < 60; trial++) {
      int cut = trial == 0 ? segment.length - 1 : random.nextInt(segment.length);
      Path crashed = dir.resolve("crash-" + trial);
      Files.createDirectories(crashed);
      Files.write(Segment.path(crashed, 0), java.util.Arrays.copyOf(segment, cut));

      List<byte[]> extra = records(100 + trial, 3);
      try (Wal wal = Wal.open(crashed, WalConfig.defaults())) {
        wal.append(extra);
      }
      List<byte[]> read = new ArrayList<>();
      Wal.replay(crashed, 0, (s, r) -> read.add(r));
      int survivors = read.size() - extra.size();
      assertThat(survivors).as("cut at %d", cut).isBetween(0, written.size() - 1);
      assertThat(read.subList(0, survivors)).containsExactlyElementsOf(written.subList(0, survivors));
      assertThat(read.subList(survivors, read.size())).containsExactlyElementsOf(extra);
    }
  }

  @Test
  void aFlippedByteIsCaughtByTheChecksum() throws IOException {
    List<byte[]> written = records(6, 20);
    try (Wal wal = Wal.open(dir, WalConfig.defaults())) {
      wal.append(written);
    }
    Path file = Segment.path(dir, 0);
    byte[] bytes = Files.readAllBytes(file);
    int at = bytes.length / 2;
    bytes[at] ^= 0x5a;
    Files.write(file, bytes);
    assertThatThrownBy(() -> WalReader.readSegment(dir, 0, (s, r) -> { })).isInstanceOf(CorruptionException.class)
        .hasMessageContaining("segment 00000000");

    try (Wal wal = Wal.open(dir, WalConfig.defaults())) {
      assertThat(wal.segmentIndex()).isEqualTo(1);
    }
    List<byte[]> read = replay();
    assertThat(read).isNotEmpty().hasSizeLessThan(written.size());
    assertThat(read).containsExactlyElementsOf(written.subList(0, read.size()));
  }

  @Test
  void corruptionInAnEarlierSegmentKeepsTheLaterOnes() throws IOException {
    List<byte[]> written = records(7, 100);
    try (Wal wal = Wal.open(dir, SMALL)) {
      for (byte[] r : written) {
        wal.append(r);
      }
    }
    Path second = Segment.path(dir, 1);
    byte[] bytes = Files.readAllBytes(second);
    bytes[bytes.length - 3] ^= 0x01;
    Files.write(second, bytes);
    try (Wal wal = Wal.open(dir, SMALL)) {
      wal.append(new byte[] {42});
    }
    List<byte[]> read = replay();
    assertThat(read.get(read.size() - 1)).containsExactly(42);
    // one record at most was lost: the one the flipped byte was in
    assertThat(read.size()).isEqualTo(written.size());
  }

  @Test
  void oversizedRecordsAreRefused() throws IOException {
    try (Wal wal = Wal.open(dir, SMALL)) {
      assertThatThrownBy(() -> wal.append(new byte[(int) SMALL.segmentSize()]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit in a segment");
    }
  }

  @Test
  void oldSegmentsCanBeDeleted() throws IOException {
    try (Wal wal = Wal.open(dir, SMALL)) {
      wal.append(records(8, 100));
      int current = wal.segmentIndex();
      wal.deleteSegmentsBefore(current - 1);
      assertThat(wal.segments()).containsExactly(current - 1, current);
    }
  }

  @Test
  void syncAlwaysForcesEveryAppend() throws IOException {
    try (Wal wal = Wal.open(dir, new WalConfig(WalConfig.DEFAULT_SEGMENT_SIZE, WalConfig.Sync.ALWAYS, null))) {
      wal.append(records(9, 10));
    }
    assertThat(replay()).hasSize(10);
  }

  @Test
  void appendedBytesAreInTheFileBeforeAppendReturns() throws IOException {
    try (Wal wal = Wal.open(dir, WalConfig.defaults())) {
      wal.append(new byte[] {1, 2, 3});
      // Read through a separate channel while the writer is still open, as a process killed now would leave it.
      try (FileChannel ch = FileChannel.open(Segment.path(dir, 0), StandardOpenOption.READ)) {
        assertThat(ch.size()).isEqualTo(Segment.HEADER_SIZE + 3);
      }
      List<byte[]> read = new ArrayList<>();
      WalReader.readSegment(dir, 0, (s, r) -> read.add(r));
      assertThat(read).containsExactly(new byte[] {1, 2, 3});
    }
  }
}

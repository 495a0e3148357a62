package io.sightline.core.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir
  Path dir;

  private static List<String> replay(Checkpoint c) throws Exception {
    List<String> out = new ArrayList<>();
    c.replay((segment, record) -> out.add(new String(record, StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void theNewestCompleteCheckpointWinsAndOlderOnesAndLeftoversGo() throws Exception {
    assertThat(Checkpoint.latest(dir)).isNull();
    try (Wal wal = Wal.open(dir, WalConfig.defaults())) {
      wal.append("a".getBytes(StandardCharsets.UTF_8));
      int next = wal.cut();
      assertThat(next).isEqualTo(wal.segmentIndex());
      Checkpoint first = Checkpoint.create(dir, next - 1, out -> out.append("kept-1".getBytes(StandardCharsets.UTF_8)));
      assertThat(first.index()).isEqualTo(next - 1);
      assertThat(replay(Checkpoint.latest(dir))).containsExactly("kept-1");
      int later = wal.cut();
      Checkpoint.create(dir, later - 1, out -> {
        out.append("kept-2a".getBytes(StandardCharsets.UTF_8));
        out.append("kept-2b".getBytes(StandardCharsets.UTF_8));
      });
    }
    // A crash while writing a checkpoint leaves a .tmp directory: it is removed, and the last complete one is used.
    Files.createDirectories(dir.resolve("checkpoint.00000099.tmp"));
    Checkpoint latest = Checkpoint.latest(dir);
    assertThat(replay(latest)).containsExactly("kept-2a", "kept-2b");
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint.")))
          .containsExactly("checkpoint." + String.format("%08d", latest.index()));
    }
  }

  @Test
  void replayingAfterACheckpointReadsTheSegmentsPastIt() throws Exception {
    List<String> seen = new ArrayList<>();
    try (Wal wal = Wal.open(dir, WalConfig.defaults())) {
      wal.append("old".getBytes(StandardCharsets.UTF_8));
      int next = wal.cut();
      Checkpoint.create(dir, next - 1, out -> out.append("summary".getBytes(StandardCharsets.UTF_8)));
      wal.deleteSegmentsBefore(next);
      wal.append("new".getBytes(StandardCharsets.UTF_8));
    }
    Checkpoint c = Checkpoint.latest(dir);
    c.replay((s, r) -> seen.add(new String(r, StandardCharsets.UTF_8)));
    Wal.replay(dir, c.index() + 1, (s, r) -> seen.add(new String(r, StandardCharsets.UTF_8)));
    assertThat(seen).containsExactly("summary", "new");
  }
}

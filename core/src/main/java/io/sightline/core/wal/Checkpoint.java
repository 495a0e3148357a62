package io.sightline.core.wal;

import io.sightline.core.fs.Directories;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WAL checkpoint: the records of segments {@code 0..index} that still matter, rewritten into a small WAL of their own
 * in {@code wal/checkpoint.<index>/}, so that those segments can be deleted. What "still matters" is the engine's
 * call; this class makes the checkpoint appear atomically and finds the newest one.
 *
 * <pre>
 *   wal/
 *   ├── checkpoint.00000011/00000000     records of segments ≤ 11 that are still needed
 *   ├── 00000012                         replayed after the checkpoint
 *   └── 00000013
 * </pre>
 *
 * Written as Prometheus writes its checkpoints: into {@code checkpoint.<index>.tmp}, forced to disk, then renamed.
 * A crash leaves either the old checkpoint with all its segments or the new one; a leftover {@code .tmp} is removed.
 */
public final class Checkpoint {
  private static final Pattern NAME = Pattern.compile("checkpoint\\.(\\d{8})");
  private static final String TMP_SUFFIX = ".tmp";

  private final Path dir;
  private final int index;

  private Checkpoint(Path dir, int index) {
    this.dir = dir;
    this.index = index;
  }

  /** The newest complete checkpoint in {@code walDir}, or null. Removes unfinished ones. */
  public static Checkpoint latest(Path walDir) throws IOException {
    Checkpoint latest = null;
    if (!Files.isDirectory(walDir)) {
      return null;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(walDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith("checkpoint.") && name.endsWith(TMP_SUFFIX)) {
          Directories.deleteTree(entry);
          continue;
        }
        Matcher m = NAME.matcher(name);
        if (m.matches() && Files.isDirectory(entry)) {
          int index = Integer.parseInt(m.group(1));
          if (latest == null || index > latest.index) {
            latest = new Checkpoint(entry, index);
          }
        }
      }
    }
    return latest;
  }

  /** The last segment whose records this checkpoint holds; replay continues with the segments after it. */
  public int index() {
    return index;
  }

  /** Reads every record of the checkpoint, in the order it was written. */
  public void replay(WalReader.RecordConsumer consumer) throws IOException {
    Wal.replay(dir, 0, consumer);
  }

  /** Writes records into a new checkpoint. */
  @FunctionalInterface
  public interface Writer {
    void write(Wal out) throws IOException;
  }

  /**
   * Creates {@code checkpoint.<index>} in {@code walDir} from what {@code writer} appends, then deletes older
   * checkpoints. The caller deletes the segments up to {@code index} afterwards.
   */
  public static Checkpoint create(Path walDir, int index, Writer writer) throws IOException {
    Path target = walDir.resolve("checkpoint." + Segment.name(index));
    Path tmp = walDir.resolve(target.getFileName() + TMP_SUFFIX);
    Directories.deleteTree(tmp);
    // Synced once at close: nothing depends on a checkpoint until its rename.
    try (Wal out = Wal.open(tmp, new WalConfig(WalConfig.DEFAULT_SEGMENT_SIZE, WalConfig.Sync.NEVER, null))) {
      writer.write(out);
    }
    Directories.deleteTree(target);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    Directories.force(walDir);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(walDir)) {
      for (Path entry : entries) {
        Matcher m = NAME.matcher(entry.getFileName().toString());
        if (m.matches() && Integer.parseInt(m.group(1)) < index) {
          Directories.deleteTree(entry);
        }
      }
    }
    return new Checkpoint(target, index);
  }
}

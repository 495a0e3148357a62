package io.sightline.core.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File-system helpers shared by the WAL, its checkpoints and the stores' blocks. */
public final class Directories {
  private Directories() {}

  /** Deletes {@code root} and everything under it; nothing happens if it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }

  /**
   * Forces a directory's entries (a new or renamed file) to stable storage, so that they survive a power cut as much
   * as the files' contents do. Some file systems cannot open a directory; then the files' own force is all there is.
   */
  public static void force(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // see above
    }
  }

  /** Bytes in the regular files under {@code root}; 0 if it does not exist. */
  public static long size(Path root) throws IOException {
    if (!Files.exists(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}

package io.sightline.core.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * What every store does with its blocks directory when it opens: a block a crash left half written
 * ({@code <name><tmpSuffix>}) is deleted, a damaged one is set aside as {@code <name>.corrupted} with an error log
 * (never read again, never deleted, so that it can be looked at), the rest are opened.
 */
public final class BlockDirectory {
  public static final String CORRUPTED_SUFFIX = ".corrupted";

  private BlockDirectory() {}

  /** Opens one block; throws the store's own exception type for a damaged one. */
  @FunctionalInterface
  public interface Opener<B> {
    B open(Path block) throws IOException;
  }

  /**
   * @param isBlock which other entries are blocks (a file with its suffix, a directory named by a ULID)
   * @param damaged the exception type {@code opener} throws for a block that fails its checks
   * @param kind the store's word for its blocks in the log ("log", "trace")
   */
  public static <B> List<B> open(Path dir, String tmpSuffix, Predicate<Path> isBlock, Opener<B> opener,
      Class<? extends IOException> damaged, String kind, Logger log) throws IOException {
    Files.createDirectories(dir);
    List<B> blocks = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.endsWith(tmpSuffix)) {
          Directories.deleteTree(entry);
        } else if (isBlock.test(entry)) {
          try {
            blocks.add(opener.open(entry));
          } catch (IOException e) {
            if (!damaged.isInstance(e)) {
              throw e;
            }
            Path aside = entry.resolveSibling(name + CORRUPTED_SUFFIX);
            log.atError().addKeyValue("block", name).addKeyValue("problem", e.getMessage())
                .addKeyValue("moved_to", aside).log("damaged " + kind + " block left out of the store");
            Directories.deleteTree(aside);
            Files.move(entry, aside);
          }
        }
      }
    }
    return blocks;
  }
}

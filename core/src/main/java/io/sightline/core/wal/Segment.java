package io.sightline.core.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** Segment files: their names, their order, and the page and fragment constants of the format. */
final class Segment {
  /**
   * 32 KiB pages, as Prometheus: a torn write damages at most the page being written, and fragments never cross a
   * page, so everything before that page stays readable.
   */
  static final int PAGE_SIZE = 32 * 1024;
  /** type (1) + length (2) + CRC32C (4). */
  static final int HEADER_SIZE = 7;

  static final byte PADDING = 0;
  static final byte FULL = 1;
  static final byte FIRST = 2;
  static final byte MIDDLE = 3;
  static final byte LAST = 4;

  private static final Pattern NAME = Pattern.compile("\\d{8}");

  private Segment() {}

  static String name(int index) {
    return String.format("%08d", index);
  }

  static Path path(Path dir, int index) {
    return dir.resolve(name(index));
  }

  /** The indexes of the segment files in {@code dir}, ascending. */
  static List<Integer> list(Path dir) throws IOException {
    List<Integer> indexes = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return indexes;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (NAME.matcher(name).matches()) {
          indexes.add(Integer.parseInt(name));
        }
      }
    }
    Collections.sort(indexes);
    return indexes;
  }
}

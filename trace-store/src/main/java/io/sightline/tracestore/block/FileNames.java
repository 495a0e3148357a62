package io.sightline.tracestore.block;

/** Every name the trace store gives a file or directory on disk, in one place (FORMAT.md draws them). */
public final class FileNames {
  public static final String WAL_DIR = "wal";
  public static final String BLOCKS_DIR = "blocks";
  public static final String META = "meta";
  public static final String INDEX = "index";
  public static final String BLOOM = "bloom";
  public static final String DATA = "data";
  /** A block being written; deleted on open if a crash left it. */
  public static final String TMP_SUFFIX = ".tmp";
  /** A block that failed its checks on open, set aside and not read. */
  public static final String CORRUPTED_SUFFIX = io.sightline.core.fs.BlockDirectory.CORRUPTED_SUFFIX;

  private FileNames() {}
}

package io.sightline.logstore.block;

import java.io.IOException;
import java.nio.file.Path;

/** A block file, or a part of one, that does not parse or fails its checksum. */
public final class CorruptBlockException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptBlockException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public CorruptBlockException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}

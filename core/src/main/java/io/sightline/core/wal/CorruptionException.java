package io.sightline.core.wal;

import java.io.IOException;

/** Bytes in a segment that do not parse as the format says; names the segment and the offset. */
public final class CorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int segment;
  private final long offset;

  CorruptionException(int segment, long offset, String reason) {
    super("WAL corruption in segment " + Segment.name(segment) + " at offset " + offset + ": " + reason);
    this.segment = segment;
    this.offset = offset;
  }

  public int segment() {
    return segment;
  }

  public long offset() {
    return offset;
  }
}

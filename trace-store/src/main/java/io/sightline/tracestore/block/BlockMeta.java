package io.sightline.tracestore.block;

import io.sightline.core.encoding.DecodeBuffer;
import io.sightline.core.encoding.EncodeBuffer;

/**
 * What a block holds, from its {@code meta} file.
 *
 * @param id the block's ULID, also its directory name
 * @param minStart earliest span start (unix nanos)
 * @param maxEnd latest span end (unix nanos)
 * @param spans rows
 * @param traces distinct trace ids
 * @param walSegment the head's WAL segment at the cut that wrote it: its spans came from segments below this one (for
 *     a merged block, the largest of its sources')
 * @param level 1 when cut from the head, one more than its highest source when merged
 */
public record BlockMeta(String id, long minStart, long maxEnd, long spans, long traces, int walSegment, int level) {

  void writeTo(EncodeBuffer out) {
    out.putString(id).putLongBE(minStart).putLongBE(maxEnd).putUvarint(spans).putUvarint(traces)
        .putUvarint(walSegment).putUvarint(level);
  }

  static BlockMeta read(DecodeBuffer in) {
    return new BlockMeta(in.getString(), in.getLongBE(), in.getLongBE(), in.getUvarint(), in.getUvarint(),
        (int) in.getUvarint(), (int) in.getUvarint());
  }

  /** Whether the block may hold spans overlapping [start, end]. */
  public boolean overlaps(long start, long end) {
    return minStart <= end && maxEnd >= start;
  }
}

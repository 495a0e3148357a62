package io.sightline.logstore.db;

import io.sightline.logstore.LineFilterHint;
import io.sightline.logstore.SelectRequest;
import io.sightline.logstore.SelectStats;
import io.sightline.logstore.filter.TokenKeys;

/** One select's parameters and running counts, shared by its sources (one thread). */
final class Query {
  final long start;
  final long end;
  final boolean forward;
  /** Per needle of the hint, the keys a chunk's filter must hold (an empty array rules nothing out). */
  final long[][] needleKeys;
  long chunksTotal;
  long chunksSkipped;
  long chunksCorrupt;
  long headEntries;
  long decompressedEntries;
  long decompressedBytes;
  long compressedBytes;

  Query(SelectRequest r) {
    start = r.startNanos();
    end = r.endNanos();
    forward = r.direction() == SelectRequest.Direction.FORWARD;
    needleKeys = keys(r.hint());
  }

  private static long[][] keys(LineFilterHint hint) {
    int useful = 0;
    long[][] all = new long[hint.required().size()][];
    for (int i = 0; i < all.length; i++) {
      all[i] = TokenKeys.needleKeys(hint.required().get(i));
      useful += all[i].length > 0 ? 1 : 0;
    }
    return useful == 0 ? new long[0][] : all;
  }

  SelectStats stats() {
    return new SelectStats(chunksTotal, chunksSkipped, headEntries, decompressedEntries, decompressedBytes,
        compressedBytes);
  }
}

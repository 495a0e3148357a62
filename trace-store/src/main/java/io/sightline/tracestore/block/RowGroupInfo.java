package io.sightline.tracestore.block;

import io.sightline.tracestore.model.TraceKey;

/**
 * One row group's entry in the index: its trace-id range (the trace-id index proper), its time range and where each
 * of its column pages lies in the data file.
 */
record RowGroupInfo(TraceKey first, TraceKey last, int rows, int traces, long minStart, long maxEnd, long[] offsets,
    int[] lengths) {

  boolean overlaps(long start, long end) {
    return minStart <= end && maxEnd >= start;
  }
}

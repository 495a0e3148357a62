package io.sightline.tracestore;

import java.util.List;

/**
 * What {@link TraceStore#fetch} looks for: Tempo's {@code FetchSpansRequest}, reduced to what the store can use to skip.
 *
 * @param startNanos traces with a span overlapping [startNanos, endNanos] (unix nanos; 0 and {@code Long.MAX_VALUE}
 *     are unbounded)
 * @param endNanos see startNanos
 * @param conditions all must hold, each for some span of the trace (not necessarily the same span). They are judged
 *     per stored part of a trace (the head, each block): a trace whose spans were split across blocks (spans that came
 *     after it was flushed) is found when one part meets them all, as in Tempo
 * @param minDurationNanos traces shorter than this are skipped; a trace's duration is its last span end minus its
 *     first span start, within the part judged; 0 = none
 * @param maxDurationNanos traces longer than this are skipped; 0 = none
 * @param limit at most this many traces are passed to the consumer; must be positive
 */
public record FetchRequest(long startNanos, long endNanos, List<Condition> conditions, long minDurationNanos,
    long maxDurationNanos, int limit) {
  public FetchRequest {
    conditions = List.copyOf(conditions);
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
    if (minDurationNanos < 0 || maxDurationNanos < 0) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (conditions.size() > Long.SIZE) {
      throw new IllegalArgumentException("at most " + Long.SIZE + " conditions");
    }
  }
}

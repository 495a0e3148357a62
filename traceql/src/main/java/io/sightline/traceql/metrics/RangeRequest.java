package io.sightline.traceql.metrics;

/**
 * What a metrics query covers, Tempo's {@code QueryRangeRequest}: unix nanoseconds, a step, whether it is an instant
 * query (one value over the whole range) and how many exemplars to keep at most.
 */
public record RangeRequest(long startNanos, long endNanos, long stepNanos, boolean instant, int exemplars) {
  private static final long SECOND = 1_000_000_000L;
  private static final long MILLI = 1_000_000L;
  private static final long MINUTE = 60 * SECOND;
  /** Below a minute Grafana shows milliseconds, so Tempo steps in multiples of 50ms there. */
  private static final long SUB_MINUTE_GRANULARITY = 50 * MILLI;
  /** Tempo's step granularities, coarsest first; they match the timestamp precisions of its block formats. */
  private static final long[] GRANULARITIES = {3600 * SECOND, 5 * MINUTE, MINUTE, 15 * SECOND, 5 * SECOND, SECOND};
  /** Tempo's baseline: one hour at 15s steps, 240 points, whatever the range. */
  private static final long POINTS = 240;

  public RangeRequest {
    if (endNanos <= startNanos) {
      throw new IllegalArgumentException("end must be greater than start");
    }
    if (stepNanos <= 0) {
      throw new IllegalArgumentException("step required");
    }
  }

  /** An instant query over (start, end]: one step as long as the range. */
  public static RangeRequest instant(long startNanos, long endNanos) {
    return new RangeRequest(startNanos, endNanos, endNanos - startNanos, true, 0);
  }

  /** Tempo's {@code DefaultQueryRangeStep}: about 240 points, rounded down to a granularity so more points, not fewer. */
  public static long defaultStep(long startNanos, long endNanos) {
    long delta = endNanos - startNanos;
    long baseline = delta / POINTS;
    if (delta < MINUTE) {
      return baseline > SUB_MINUTE_GRANULARITY ? baseline / SUB_MINUTE_GRANULARITY * SUB_MINUTE_GRANULARITY
          : SUB_MINUTE_GRANULARITY;
    }
    for (long g : GRANULARITIES) {
      if (baseline > g) {
        return baseline / g * g;
      }
    }
    return SECOND;
  }

  /**
   * Tempo's {@code AlignRequest} for range queries: start rounded down and end rounded up to the step, then one more
   * step before the start, so repeated "last hour" queries share their intervals. Instant queries stay as they are.
   */
  public RangeRequest aligned() {
    if (instant) {
      return this;
    }
    long start = startNanos - startNanos % stepNanos;
    long end = endNanos % stepNanos == 0 ? endNanos : endNanos + stepNanos - endNanos % stepNanos;
    if (start > stepNanos) {
      start -= stepNanos;
    }
    return new RangeRequest(start, end, stepNanos, false, exemplars);
  }

  /** The request with its end moved down to a step boundary (Tempo's {@code AlignEndToLeft}, after a cutoff). */
  public RangeRequest endAlignedDown(long newEndNanos) {
    long end = instant ? newEndNanos : newEndNanos - newEndNanos % stepNanos;
    return new RangeRequest(startNanos, end, instant ? end - startNanos : stepNanos, instant, exemplars);
  }

  public RangeRequest withExemplars(int n) {
    return new RangeRequest(startNanos, endNanos, stepNanos, instant, n);
  }
}

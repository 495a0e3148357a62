package io.sightline.traceql.metrics;

/**
 * Tempo's interval mappers. A range query's intervals are right-closed, (start, start+step], ..., and each is
 * reported at its end; an instant query has one interval, reported at the end of the range.
 */
final class Intervals {
  private static final long MILLI = 1_000_000L;

  private final boolean instant;
  private final long start;
  private final long end;
  private final long step;
  private final long startMs;
  private final long endMs;
  private final int count;

  Intervals(RangeRequest r) {
    this.instant = r.instant();
    this.step = r.stepNanos();
    long sMs = r.startNanos() - r.startNanos() % MILLI;
    long eMs = r.endNanos() - r.endNanos() % MILLI;
    if (instant) {
      this.start = r.startNanos();
      this.end = r.endNanos();
      this.startMs = sMs;
      this.endMs = eMs;
      this.count = 1;
    } else {
      this.start = alignDown(r.startNanos(), step);
      this.end = alignUp(r.endNanos(), step);
      this.startMs = alignDown(sMs, step);
      this.endMs = alignUp(eMs, step);
      this.count = (int) ((end - start) / step);
    }
  }

  private static long alignDown(long t, long step) {
    return t - t % step;
  }

  private static long alignUp(long t, long step) {
    return t % step == 0 ? t : t + step - t % step;
  }

  int count() {
    return count;
  }

  /** The interval of a unix-nanosecond timestamp, -1 outside the range. */
  int of(long ts) {
    return of(ts, start, end);
  }

  /** The interval of a unix-millisecond timestamp, as Tempo places exemplars and samples. */
  int ofMs(long tsMs) {
    return of(tsMs * MILLI, startMs, endMs);
  }

  private int of(long ts, long from, long to) {
    if (instant) {
      return ts >= from && ts <= to && to != from ? 0 : -1;
    }
    if (!(ts > from && ts <= to && to != from)) {
      return -1;
    }
    long offset = ts - from;
    long i = offset / step;
    // A timestamp on a boundary closes the interval before it.
    if (i * step == offset) {
      i--;
    }
    return (int) i;
  }

  /** Where an interval is reported, in unix nanoseconds. */
  long timestampOf(int interval) {
    return instant ? end : start + (interval + 1L) * step;
  }
}

package io.sightline.traceql.metrics;

/**
 * Tempo's exemplar bucket set: the range is cut into {@code exemplars / 2} buckets that hold at most two exemplars
 * each, up to {@code exemplars} in all, so exemplars spread over the range instead of piling up at its start.
 * Instant queries keep none.
 */
final class ExemplarBuckets {
  /** Tempo's {@code maxExemplarsPerBucket}. */
  private static final int PER_BUCKET = 2;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final int size;
  private final int maxTotal;
  private final int[] counts;
  private final long startMs;
  private final long endMs;
  private final long width;
  private int total;

  private ExemplarBuckets(int exemplars, long startMs, long endMs) {
    this.size = Math.max(exemplars / PER_BUCKET, 1);
    this.maxTotal = exemplars;
    this.counts = new int[size];
    this.startMs = startMs;
    this.endMs = endMs;
    this.width = Math.max((endMs - startMs) / size, 1);
  }

  static ExemplarBuckets of(RangeRequest r) {
    if (r.instant()) {
      return new ExemplarBuckets(0, 0, 0);
    }
    long step = r.stepNanos();
    long start = r.startNanos() - r.startNanos() % step;
    long end = r.endNanos() % step == 0 ? r.endNanos() : r.endNanos() + step - r.endNanos() % step;
    return new ExemplarBuckets(r.exemplars(), start / NANOS_PER_MILLI, end / NANOS_PER_MILLI);
  }

  boolean full() {
    return total >= maxTotal;
  }

  /** Takes an exemplar at this unix-millisecond time if its bucket and the total have room. */
  boolean add(long tsMs) {
    if (tsMs < startMs || tsMs > endMs || full()) {
      return false;
    }
    int i = startMs == endMs ? 0 : (int) Math.min((tsMs - startMs) / width, size - 1);
    if (counts[i] >= PER_BUCKET) {
      return false;
    }
    counts[i]++;
    total++;
    return true;
  }
}

package io.sightline.collector.translate.prometheus;

import io.sightline.core.model.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Running totals that turn delta sums and histograms into cumulative ones, one per stream (keyed by the series'
 * final labels, {@code __name__} included, {@code le} excluded), as the Collector's {@code deltatocumulative}
 * processor does for Prometheus' {@code otlp-deltatocumulative} feature.
 *
 * <p>A point is added to its stream when it is newer than the stream's last point and does not overlap it (its
 * start is not before the last point's time; a start of 0 is unknown and not checked). Otherwise it is refused, so a
 * delta sent twice (a client retrying) is not counted twice. A histogram whose buckets changed starts its stream
 * over, which queries see as a counter reset.
 *
 * <p>At most {@code maxStreams} streams are kept; past that, the stream idle the longest is forgotten. If it comes
 * back, it starts again from its next delta, which queries also see as a counter reset: the bound keeps memory in
 * check when series churn, at the cost of a reset for streams idle long enough to be pushed out.
 *
 * <p>Thread-safe: batches of several pipelines may be translated at once.
 */
final class DeltaToCumulative {
  private final int maxStreams;
  private final Map<Labels, Stream> streams;
  private long evicted;

  DeltaToCumulative(int maxStreams) {
    if (maxStreams < 1) {
      throw new IllegalArgumentException("maxStreams must be >= 1, was " + maxStreams);
    }
    this.maxStreams = maxStreams;
    // Access order: the eldest entry is the stream updated least recently.
    this.streams = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Labels, Stream> eldest) {
        if (size() > DeltaToCumulative.this.maxStreams) {
          evicted++;
          return true;
        }
        return false;
      }
    };
  }

  private static final class Stream {
    long lastNanos;
    double total;
    HistogramValues histogram;

    Stream(long lastNanos) {
      this.lastNanos = lastNanos;
    }
  }

  /** The running total after {@code delta}, or empty if the point is out of order or overlapping. */
  synchronized OptionalDouble addSum(Labels key, long startNanos, long timeNanos, double delta) {
    Stream s = streams.get(key);
    if (s == null || s.histogram != null) {
      s = new Stream(timeNanos);
      s.total = delta;
      streams.put(key, s);
      return OptionalDouble.of(delta);
    }
    if (!inOrder(s, startNanos, timeNanos)) {
      return OptionalDouble.empty();
    }
    s.lastNanos = timeNanos;
    s.total += delta;
    return OptionalDouble.of(s.total);
  }

  /** The accumulated histogram after {@code delta}, or {@code null} if the point is out of order or overlapping. */
  synchronized HistogramValues addHistogram(Labels key, long startNanos, long timeNanos, HistogramValues delta) {
    Stream s = streams.get(key);
    if (s == null || s.histogram == null || !s.histogram.sameBuckets(delta)) {
      if (s != null && s.histogram != null && !inOrder(s, startNanos, timeNanos)) {
        return null;
      }
      s = new Stream(timeNanos);
      s.histogram = delta;
      streams.put(key, s);
      return delta;
    }
    if (!inOrder(s, startNanos, timeNanos)) {
      return null;
    }
    s.lastNanos = timeNanos;
    s.histogram = s.histogram.plus(delta);
    return s.histogram;
  }

  /** Ends a stream (its series went stale): its next point starts from zero. */
  synchronized void forget(Labels key) {
    streams.remove(key);
  }

  synchronized int streams() {
    return streams.size();
  }

  /** Streams forgotten so far to stay within the bound. */
  synchronized long evicted() {
    return evicted;
  }

  private static boolean inOrder(Stream s, long startNanos, long timeNanos) {
    return timeNanos > s.lastNanos && (startNanos == 0 || startNanos >= s.lastNanos);
  }
}

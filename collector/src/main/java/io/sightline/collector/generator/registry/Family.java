package io.sightline.collector.generator.registry;

import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One metric family's series. Processors look series up by {@link SeriesKey}; two keys whose labels come out the same
 * (two dimensions that sanitize to one label name, values cut to the same prefix) share one series, found through
 * the second map:
 *
 * <pre>
 *   byKey     {service=a, span_name=GET, ...}      ─┐
 *             {service=a, span_name=GET, ...}'     ─┴─▶ series {labels, values, lastUpdated}
 *   byLabels  {service="a", span_name="GET", ...}  ───▶ (the same series)
 * </pre>
 *
 * Subclasses update under the family's monitor; {@link #collect} takes it too.
 */
abstract sealed class Family<S extends Family.Series> permits ValueFamily, Histogram {
  /** Tempo starts a new counter at 0 just before the current minute, so that the first increase is not lost. */
  private static final long MINUTE_MS = 60_000;

  final Registry registry;
  final String name;
  final String help;
  final String type;
  /** Store series per entry: one for counters and gauges, {@code 2 + buckets} for a histogram. */
  final int seriesPerEntry;
  private final Map<SeriesKey, S> byKey = new HashMap<>();
  private final Map<Labels, S> byLabels = new HashMap<>();

  Family(Registry registry, String name, String help, String type, int seriesPerEntry) {
    this.registry = registry;
    this.name = name;
    this.help = help;
    this.type = type;
    this.seriesPerEntry = seriesPerEntry;
  }

  /** The state every series keeps for the registry. */
  abstract static class Series {
    long lastUpdated;
    /** Not written yet: the first collection writes the initial zero. */
    boolean fresh = true;
  }

  /** A new series' state for the labels {@code base} (the key's labels and the external ones, no name). */
  abstract S create(Labels base);

  /** Adds the series' current samples (and exemplars) at {@code nowMs}. */
  abstract void write(S series, long nowMs, Snapshot out);

  /** Adds a stale marker for each store series of {@code series}. */
  abstract void markStale(S series, long nowMs, Snapshot out);

  /** The series of {@code key}, created if new and the limit allows, else null; call while holding this. */
  final S series(SeriesKey key, long nowMs) {
    S s = byKey.get(key);
    if (s == null) {
      Labels base = registry.baseLabels(key);
      s = byLabels.get(base);
      if (s == null) {
        if (!registry.admit(seriesPerEntry)) {
          return null;
        }
        s = create(base);
        byLabels.put(base, s);
      }
      byKey.put(key.copy(), s);
    }
    s.lastUpdated = nowMs;
    return s;
  }

  /** Drops series not updated since {@code staleBeforeMs} (with stale markers) and adds the others' samples. */
  final synchronized void collect(long nowMs, long staleBeforeMs, Snapshot out) {
    byKey.values().removeIf(s -> s.lastUpdated < staleBeforeMs);
    for (Iterator<S> it = byLabels.values().iterator(); it.hasNext(); ) {
      S s = it.next();
      if (s.lastUpdated < staleBeforeMs) {
        it.remove();
        registry.release(seriesPerEntry);
        if (!s.fresh) {
          markStale(s, nowMs, out);
        }
      } else {
        write(s, nowMs, out);
        s.fresh = false;
      }
    }
  }

  final synchronized int entries() {
    return byLabels.size();
  }

  /** Tempo's {@code getEndOfLastMinuteMs}: one second before the minute {@code nowMs} is in. */
  static long endOfLastMinute(long nowMs) {
    return Math.floorDiv(nowMs, MINUTE_MS) * MINUTE_MS - 1000;
  }

  static Labels named(Labels base, String metricName) {
    return base.toBuilder().set(Labels.METRIC_NAME, metricName).build();
  }

  static final double STALE = StaleMarker.VALUE;
}

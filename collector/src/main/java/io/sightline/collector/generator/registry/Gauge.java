package io.sightline.collector.generator.registry;

import io.sightline.core.model.Labels;

/** A gauge family, for info metrics held at 1 while what they describe is seen. */
public final class Gauge extends Family<Gauge.Series> {
  Gauge(Registry registry, String name, String help) {
    super(registry, name, help, "gauge", 1);
  }

  /** Sets the series of {@code key} to {@code value}, unless the series limit refuses it. */
  public synchronized void set(SeriesKey key, double value, long nowMs) {
    Series s = series(key, nowMs);
    if (s != null) {
      s.value = value;
    }
  }

  static final class Series extends Family.Series {
    final Labels labels;
    double value;

    Series(Labels labels) {
      this.labels = labels;
    }
  }

  @Override
  Series create(Labels base) {
    return new Series(named(base, name));
  }

  @Override
  void write(Series s, long nowMs, Snapshot out) {
    out.sample(s.labels, nowMs, s.value);
  }

  @Override
  void markStale(Series s, long nowMs, Snapshot out) {
    out.sample(s.labels, nowMs, STALE);
    out.staleMarkers++;
  }
}

package io.sightline.collector.generator.registry;

import io.sightline.core.model.Labels;

/** A family whose series each hold one value under the family's name: what counters and gauges share. */
abstract sealed class ValueFamily extends Family<ValueFamily.Series> permits Counter, Gauge {
  ValueFamily(Registry registry, String name, String help, String type) {
    super(registry, name, help, type, 1);
  }

  static final class Series extends Family.Series {
    final Labels labels;
    double value;

    Series(Labels labels) {
      this.labels = labels;
    }
  }

  @Override
  final Series create(Labels base) {
    return new Series(named(base, name));
  }

  @Override
  final void markStale(Series s, long nowMs, Snapshot out) {
    out.sample(s.labels, nowMs, STALE);
    out.staleMarkers++;
  }
}

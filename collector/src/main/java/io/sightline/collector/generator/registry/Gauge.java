package io.sightline.collector.generator.registry;

/** A gauge family, for info metrics held at 1 while what they describe is seen. */
public final class Gauge extends ValueFamily {
  Gauge(Registry registry, String name, String help) {
    super(registry, name, help, "gauge");
  }

  /** Sets the series of {@code key} to {@code value}, unless the series limit refuses it. */
  public synchronized void set(SeriesKey key, double value, long nowMs) {
    Series s = series(key, nowMs);
    if (s != null) {
      s.value = value;
    }
  }

  @Override
  void write(Series s, long nowMs, Snapshot out) {
    out.sample(s.labels, nowMs, s.value);
  }
}

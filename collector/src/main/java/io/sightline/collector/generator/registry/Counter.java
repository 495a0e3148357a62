package io.sightline.collector.generator.registry;

/** A counter family: each series only goes up, and starts at 0 in the store (see {@link Family}). */
public final class Counter extends ValueFamily {
  Counter(Registry registry, String name, String help) {
    super(registry, name, help, "counter");
  }

  /** Adds {@code value} (not negative) to the series of {@code key}, unless the series limit refuses it. */
  public synchronized void inc(SeriesKey key, double value, long nowMs) {
    Series s = series(key, nowMs);
    if (s != null) {
      s.value += value;
    }
  }

  @Override
  void write(Series s, long nowMs, Snapshot out) {
    if (s.fresh) {
      out.sample(s.labels, endOfLastMinute(nowMs), 0);
    }
    out.sample(s.labels, nowMs, s.value);
  }
}

package io.sightline.metricstore;

/**
 * A handle on one series of a store, from {@link Appender#ref}. Appending through it skips the label lookup, so a
 * receiver that remembers it per series (remote write does, by the series' raw label bytes) pays for that lookup
 * once. Stays usable until {@link #valid()} turns false.
 */
public interface SeriesRef {

  /**
   * False once the store has dropped the series (it had no samples left after its data moved to a block): look the
   * labels up again with {@link Appender#ref}. Appending through a dropped handle still works, at the cost of that
   * lookup each time.
   */
  default boolean valid() {
    return true;
  }
}

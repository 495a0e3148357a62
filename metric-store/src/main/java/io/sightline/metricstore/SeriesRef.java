package io.sightline.metricstore;

/**
 * A handle on one series of a store, from {@link Appender#ref}. Appending through it skips the label lookup, so a
 * receiver that remembers it per series (remote write does, by the series' raw label bytes) pays for that lookup
 * once. Valid for the lifetime of the store that issued it.
 */
public interface SeriesRef {}

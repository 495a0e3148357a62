/** The metric store's WAL records (series, samples) on the core write-ahead log; layout in {@code FORMAT.md}. */
package io.sightline.metricstore.wal;

/**
 * A segmented, paged write-ahead log of opaque records with per-fragment checksums and torn-tail repair, shaped like
 * Prometheus' {@code tsdb/wlog}. The byte layout is drawn in {@code core/FORMAT.md}.
 */
package io.sightline.core.wal;

/**
 * A Loki-style log store. Streams are identified by their label set; each stream's lines, with the structured
 * metadata beside them, go through a write-ahead log into an in-memory head, then into compressed chunks with
 * per-chunk token filters, so that a line-filter query skips chunks that cannot match. Open one with
 * {@code io.sightline.logstore.db.LogDb.open(dir, config)}; {@link io.sightline.logstore.LogStore} is all a caller
 * needs. The on-disk format is in {@code log-store/FORMAT.md}.
 */
package io.sightline.logstore;

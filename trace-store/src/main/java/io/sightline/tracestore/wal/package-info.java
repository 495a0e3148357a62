/** The trace store's WAL records on {@code io.sightline.core.wal}: one appended {@code ResourceSpans} per record. */
package io.sightline.tracestore.wal;

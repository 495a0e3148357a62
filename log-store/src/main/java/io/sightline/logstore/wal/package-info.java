/** The log store's WAL records on {@code core.wal}: one stream's entries per record. */
package io.sightline.logstore.wal;

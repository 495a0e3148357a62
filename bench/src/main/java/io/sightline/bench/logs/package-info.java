/** Log ingest and query load against Sightline's Loki API: a synthetic JSON log file, Promtail-like pushes, LogQL. */
package io.sightline.bench.logs;

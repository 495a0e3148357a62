/** Trace ingest and query load against Sightline and Zipkin: generated shop traces, spans/s, lookup latency. */
package io.sightline.bench.traces;

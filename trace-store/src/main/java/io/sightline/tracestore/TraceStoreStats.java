package io.sightline.tracestore;

/**
 * What the store holds.
 *
 * @param traces traces in blocks (a trace split across blocks counts once per block) plus traces in the head
 * @param spans spans in blocks plus spans in the head
 * @param blocks blocks on disk
 * @param bytesOnDisk blocks and WAL
 * @param headSpans spans in memory, not yet in a block
 */
public record TraceStoreStats(long traces, long spans, int blocks, long bytesOnDisk, long headSpans) {}

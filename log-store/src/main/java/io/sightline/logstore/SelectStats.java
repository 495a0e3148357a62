package io.sightline.logstore;

/**
 * What a {@link LogQuerier#select} read, in the terms of Loki's query statistics.
 *
 * @param chunksTotal chunks of the selected streams that overlap the range
 * @param chunksSkipped of those, chunks skipped by their token filter
 * @param headEntries entries read from the in-memory head
 * @param decompressedEntries entries read from chunks
 * @param decompressedBytes bytes of lines (and structured metadata) decompressed from chunks
 * @param compressedBytes bytes of chunk data read
 */
public record SelectStats(long chunksTotal, long chunksSkipped, long headEntries, long decompressedEntries,
    long decompressedBytes, long compressedBytes) {}

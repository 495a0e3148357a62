package io.sightline.logstore;

/**
 * Counts for /metrics and tests.
 *
 * @param activeStreams streams with entries in the head
 * @param headEntries entries not yet in a chunk on disk
 * @param chunksOnDisk chunks in blocks on disk
 * @param bytesOnDisk bytes of blocks and WAL on disk
 * @param entriesStored entries committed since the store opened
 * @param entriesRefused entries refused (too far behind) since the store opened
 */
public record LogStoreStats(long activeStreams, long headEntries, long chunksOnDisk, long bytesOnDisk,
    long entriesStored, long entriesRefused) {}

package io.sightline.metricstore.block;

/**
 * Where one chunk of a series is and what time it covers.
 *
 * @param ref segment file number in the high 32 bits, byte offset within it in the low 32
 */
public record ChunkMeta(long minT, long maxT, long ref) {}

package io.sightline.logstore;

import io.sightline.core.model.Labels;

/**
 * What a stream holds over a range.
 *
 * @param chunks chunks overlapping the range (the head's open chunk counts as one)
 * @param entries entries in those chunks
 * @param bytes bytes of their lines (structured metadata included, as Loki counts)
 */
public record StreamStats(Labels labels, long chunks, long entries, long bytes) {}

/**
 * Immutable block files: many streams' chunks with their token filters and an index of streams, labels and chunk
 * references; written as {@code <ulid>.tmp} and renamed, a CRC32C on every part (log-store/FORMAT.md).
 */
package io.sightline.logstore.block;

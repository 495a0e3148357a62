/**
 * Compressed chunks of one stream's lines: a columnar payload (times, structured metadata, line lengths, lines) in one
 * zstd frame with a CRC32C, and its decoded form for reading.
 */
package io.sightline.logstore.chunk;

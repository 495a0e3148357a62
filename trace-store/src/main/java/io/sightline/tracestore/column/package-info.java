/**
 * The encodings of a block's columns: compressed pages with their checksum, a row group's string dictionary, and
 * dictionary-encoded, typed attribute lists.
 */
package io.sightline.tracestore.column;

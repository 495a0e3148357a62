/**
 * Immutable blocks: a time range of series written once to a directory of its own (meta.json, an index with symbols,
 * series and Roaring postings, chunk files) and read through memory maps. Layout in the module's FORMAT.md.
 */
package io.sightline.metricstore.block;

/**
 * The metric store as a whole: the head plus the immutable blocks cut from it, a querier that merges them, and the
 * upkeep that runs in the background (cutting blocks from the head, merging small blocks into larger ones, retention).
 */
package io.sightline.metricstore.db;

/**
 * The trace store as a whole: the head plus the blocks cut from it, reads that join them, and the upkeep on one
 * background thread (cutting blocks, merging small ones, retention).
 */
package io.sightline.tracestore.db;

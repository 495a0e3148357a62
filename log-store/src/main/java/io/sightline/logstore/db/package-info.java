/**
 * The log store as a whole: {@link io.sightline.logstore.db.LogDb} joins the head and the blocks, runs the upkeep
 * (cuts, block writes, WAL checkpoints, retention) and answers queries by merging chunks lazily.
 */
package io.sightline.logstore.db;

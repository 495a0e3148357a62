/**
 * Immutable blocks: spans sorted by trace id in columnar row groups, with a trace-id index, a bloom filter and the
 * summaries that let searches skip a block (trace-store/FORMAT.md).
 */
package io.sightline.tracestore.block;

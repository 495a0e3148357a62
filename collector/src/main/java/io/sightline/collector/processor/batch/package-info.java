/**
 * The Collector's {@code batch} processor, changed in one way that matters: a request is answered only when the
 * batches holding its items have been exported, so batching never acknowledges data that is not yet durable.
 */
package io.sightline.collector.processor.batch;

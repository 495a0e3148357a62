/**
 * The Collector's exporterhelper: {@code sending_queue} (a bounded in-memory queue of batches drained by
 * {@code num_consumers} senders) and {@code retry_on_failure} (exponential backoff with jitter, honouring the
 * server's throttle delay), shared by every push exporter. {@link io.sightline.collector.queue.ExporterHelper} joins
 * them around a {@link io.sightline.collector.queue.Sender}, the one attempt an exporter knows how to make.
 */
package io.sightline.collector.queue;

/**
 * Prometheus remote write 1.0: a streaming decoder of snappy-compressed {@code prometheus.WriteRequest} bodies that
 * hands each series to a callback, without building message objects.
 */
package io.sightline.collector.receiver.prometheusremotewrite;

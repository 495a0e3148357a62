/**
 * Prometheus remote write 1.0 and 2.0: streaming decoders of snappy-compressed {@code prometheus.WriteRequest} and
 * {@code io.prometheus.write.v2.Request} bodies that hand each series to a callback, float samples in reused arrays
 * (no message objects), native histograms and exemplars as one small object each.
 */
package io.sightline.collector.receiver.prometheusremotewrite;

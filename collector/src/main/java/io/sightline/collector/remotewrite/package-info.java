/**
 * A Prometheus remote-write 1.0 sender: {@code remote_write} entries in Prometheus' shape, a hand-written
 * {@code prometheus.WriteRequest} encoder, and one in-memory queue per endpoint that batches, retries with backoff
 * and drops as Prometheus' queue manager does, with its metrics. It knows no store and no pipeline: the metrics
 * generator writes to it through a {@code SampleSink}, an exporter can hand it {@link
 * io.sightline.collector.remotewrite.WriteBatch}es.
 */
package io.sightline.collector.remotewrite;

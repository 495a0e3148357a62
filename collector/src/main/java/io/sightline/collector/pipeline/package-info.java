/**
 * The OpenTelemetry Collector's model: receivers hand {@link io.sightline.collector.pipeline.Telemetry} to a
 * chain of processors that ends in a fan-out to exporters, one chain per entry of {@code service.pipelines}.
 *
 * <p>The contract that keeps acknowledged data safe lives here: {@link io.sightline.collector.pipeline.Consumer#consume}
 * returns a future that completes only once every exporter downstream holds the batch durably, and a receiver
 * answers its client only then.
 */
package io.sightline.collector.pipeline;

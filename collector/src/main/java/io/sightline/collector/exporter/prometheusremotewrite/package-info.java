/**
 * The Collector's (contrib) {@code prometheusremotewrite} exporter: OTLP metrics translated as Prometheus translates
 * them ({@code translate.prometheus}) and sent as remote-write 1.0 requests by {@code collector.remotewrite}'s
 * encoder and client, behind the exporterhelper's queue and retries.
 */
package io.sightline.collector.exporter.prometheusremotewrite;

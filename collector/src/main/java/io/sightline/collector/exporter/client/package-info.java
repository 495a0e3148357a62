/**
 * The client settings every push exporter shares, as the Collector's {@code configgrpc}, {@code confighttp} and
 * {@code configtls} client configs spell them: {@code tls}, {@code headers}, {@code compression}, plus the
 * exporterhelper's {@code timeout}, {@code sending_queue} and {@code retry_on_failure}.
 */
package io.sightline.collector.exporter.client;

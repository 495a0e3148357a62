/**
 * The pipeline's own metrics, under the names the OpenTelemetry Collector exposes
 * ({@code otelcol_receiver_accepted_spans_total}, {@code otelcol_exporter_sent_log_records_total}, ...), so that
 * dashboards made for the Collector work against Sightline.
 */
package io.sightline.collector.obsreport;

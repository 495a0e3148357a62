package io.sightline.metricstore;

/**
 * What a metric family is: its type as Prometheus names it ({@code counter}, {@code gauge}, {@code histogram},
 * {@code gaugehistogram}, {@code summary}, {@code info}, {@code stateset}, {@code unknown}), help text and unit.
 */
public record MetricMetadata(String type, String help, String unit) {}

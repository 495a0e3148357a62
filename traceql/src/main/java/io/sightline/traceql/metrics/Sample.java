package io.sightline.traceql.metrics;

/** One point of a series: the end of its interval in unix milliseconds and the value. */
public record Sample(long timestampMs, double value) {}

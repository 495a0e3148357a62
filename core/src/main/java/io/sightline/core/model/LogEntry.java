package io.sightline.core.model;

/**
 * One log line as Loki stores it: its time, its text and the structured metadata beside it (trace ids, OTLP
 * attributes, {@code detected_level}).
 *
 * @param timestampNanos Unix time in nanoseconds
 * @param structuredMetadata names normalized as label names, sorted; {@link Labels#EMPTY} for none
 */
public record LogEntry(long timestampNanos, String line, Labels structuredMetadata) {}

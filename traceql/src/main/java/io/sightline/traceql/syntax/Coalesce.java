package io.sightline.traceql.syntax;

/** {@code coalesce()}: merges the spansets of a trace back into one. */
public record Coalesce() implements Element {}

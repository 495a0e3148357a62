package io.sightline.traceql.syntax;

/** One {@code name=value} of {@code with (...)}. */
public record Hint(String name, Static value) {}

package io.sightline.traceql.syntax;

/** {@code topk(k)}, or {@code bottomk(k)} when {@code bottom}. */
public record TopK(boolean bottom, long k) implements SecondStage {}

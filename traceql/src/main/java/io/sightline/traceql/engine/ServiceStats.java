package io.sightline.traceql.engine;

/** Spans and error spans of one service in a trace. */
public record ServiceStats(int spanCount, int errorCount) {}

package io.sightline.collector.pipeline;

/** A pipeline stage between receivers and exporters; each pipeline has its own instance. */
public interface Processor<T extends Telemetry> extends Consumer<T>, Component {}

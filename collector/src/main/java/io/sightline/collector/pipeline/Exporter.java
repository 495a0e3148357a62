package io.sightline.collector.pipeline;

/**
 * The end of a pipeline: an embedded store, a remote endpoint, or the log. One instance per id and signal serves every
 * pipeline that names it. Its futures complete only once the batch is durable (see {@link Consumer}).
 */
public interface Exporter<T extends Telemetry> extends Consumer<T>, Component {}

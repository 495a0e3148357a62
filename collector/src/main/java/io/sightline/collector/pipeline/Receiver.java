package io.sightline.collector.pipeline;

/** Takes telemetry from outside (a port, a scrape, a file) and hands it to the pipelines' consumers. */
public interface Receiver extends Component {}

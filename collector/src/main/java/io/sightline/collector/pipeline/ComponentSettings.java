package io.sightline.collector.pipeline;

/** Handed to a factory with the component's config: the id it was given and the host it runs in. */
public record ComponentSettings(ComponentId id, Host host) {}

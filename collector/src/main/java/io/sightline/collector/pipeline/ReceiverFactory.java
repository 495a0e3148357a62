package io.sightline.collector.pipeline;

import io.sightline.collector.config.ConfigMap;
import java.util.Set;

/**
 * Makes receivers of one type. {@link #parseConfig} validates a config section completely (and calls
 * {@link ConfigMap#finish()}), so that a mistake fails the start even in a component no pipeline uses.
 */
public interface ReceiverFactory<C> {

  String type();

  Set<Signal> signals();

  C parseConfig(ConfigMap config);

  Receiver create(ComponentSettings settings, C config, NextConsumers next);
}

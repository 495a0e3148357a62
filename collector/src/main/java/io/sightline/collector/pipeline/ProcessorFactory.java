package io.sightline.collector.pipeline;

import io.sightline.collector.config.ConfigMap;
import java.util.Set;

/** Makes processors of one type: one instance for each pipeline that lists the id. */
public interface ProcessorFactory<C> {

  String type();

  Set<Signal> signals();

  C parseConfig(ConfigMap config);

  <T extends Telemetry> Processor<T> create(ComponentSettings settings, C config, Signal signal, Consumer<T> next);
}

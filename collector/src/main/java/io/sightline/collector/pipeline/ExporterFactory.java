package io.sightline.collector.pipeline;

import io.sightline.collector.config.ConfigMap;
import java.util.Set;

/** Makes exporters of one type: one instance for each id and signal. */
public interface ExporterFactory<C> {

  String type();

  Set<Signal> signals();

  C parseConfig(ConfigMap config);

  <T extends Telemetry> Exporter<T> create(ComponentSettings settings, C config, Signal signal);
}

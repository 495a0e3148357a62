package io.sightline.collector.exporter.nop;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import java.util.EnumSet;
import java.util.Set;

/** Type {@code nop}; it has no options. */
public final class NopExporterFactory implements ExporterFactory<Void> {

  @Override
  public String type() {
    return "nop";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public Void parseConfig(ConfigMap config) {
    config.finish();
    return null;
  }

  @Override
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, Void config, Signal signal) {
    Consumer<T> discard = Consumer.discard();
    return discard::consume;
  }
}

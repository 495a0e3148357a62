package io.sightline.collector.processor.batch;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.ProcessorFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import java.util.EnumSet;
import java.util.Set;

/** Type {@code batch}, for all three signals: one processor per pipeline that lists it. */
public final class BatchProcessorFactory implements ProcessorFactory<BatchConfig> {

  @Override
  public String type() {
    return "batch";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public BatchConfig parseConfig(ConfigMap config) {
    return BatchConfig.parse(config);
  }

  @Override
  public <T extends Telemetry> Processor<T> create(ComponentSettings settings, BatchConfig config, Signal signal,
      Consumer<T> next) {
    return new BatchProcessor<>(config, next, settings.host().obsReport().batch(settings.id()), BatchProcessor.CLOSE_WAIT);
  }
}

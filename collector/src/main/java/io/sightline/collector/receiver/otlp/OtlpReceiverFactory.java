package io.sightline.collector.receiver.otlp;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.NextConsumers;
import io.sightline.collector.pipeline.Receiver;
import io.sightline.collector.pipeline.ReceiverFactory;
import io.sightline.collector.pipeline.Signal;
import java.util.EnumSet;
import java.util.Set;

/** Type {@code otlp}. */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {

  @Override
  public String type() {
    return "otlp";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public OtlpReceiverConfig parseConfig(ConfigMap config) {
    return OtlpReceiverConfig.parse(config);
  }

  @Override
  public Receiver create(ComponentSettings settings, OtlpReceiverConfig config, NextConsumers next) {
    return new OtlpReceiver(settings.id(), config, next, settings.host().obsReport());
  }
}

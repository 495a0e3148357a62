package io.sightline.collector.processor.resource;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.ProcessorFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import io.sightline.collector.processor.attributes.AttributeActions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Type {@code resource}, configured with an {@code attributes} list of actions. */
public final class ResourceProcessorFactory implements ProcessorFactory<AttributeActions> {

  @Override
  public String type() {
    return "resource";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public AttributeActions parseConfig(ConfigMap config) {
    AttributeActions actions = AttributeActions.parse(config, "attributes");
    config.finish();
    return actions;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Telemetry> Processor<T> create(ComponentSettings settings, AttributeActions actions, Signal signal,
      Consumer<T> next) {
    return Processor.transforming(next, batch -> (T) apply(actions, batch));
  }

  static Telemetry apply(AttributeActions actions, Telemetry batch) {
    return switch (batch) {
      case Traces t -> Traces.of(t.resourceSpans().stream()
          .map(rs -> rs.toBuilder().setResource(resource(actions, rs.getResource())).build()).toList());
      case Metrics m -> Metrics.of(m.resourceMetrics().stream()
          .map(rm -> rm.toBuilder().setResource(resource(actions, rm.getResource())).build()).toList());
      case Logs l -> Logs.of(l.resourceLogs().stream()
          .map(rl -> rl.toBuilder().setResource(resource(actions, rl.getResource())).build()).toList());
    };
  }

  private static Resource resource(AttributeActions actions, Resource r) {
    List<KeyValue> after = actions.apply(r.getAttributesList());
    return after == r.getAttributesList() ? r : r.toBuilder().clearAttributes().addAllAttributes(after).build();
  }
}

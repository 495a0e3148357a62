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

/**
 * Type {@code resource}, configured with an {@code attributes} list of actions (the same actions as the
 * {@code attributes} processor's) applied to the resource of every resource group. A group whose resource no action
 * changes is passed on as it was.
 */
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

  /** {@code batch} with the actions applied to each resource; the same instance if no resource changed. */
  static Telemetry apply(AttributeActions actions, Telemetry batch) {
    return switch (batch) {
      case Traces t -> {
        var out = AttributeActions.mapEach(t.resourceSpans(), rs -> {
          Resource r = resource(actions, rs.getResource());
          return r == rs.getResource() ? rs : rs.toBuilder().setResource(r).build();
        });
        yield out == t.resourceSpans() ? t : Traces.of(out);
      }
      case Metrics m -> {
        var out = AttributeActions.mapEach(m.resourceMetrics(), rm -> {
          Resource r = resource(actions, rm.getResource());
          return r == rm.getResource() ? rm : rm.toBuilder().setResource(r).build();
        });
        yield out == m.resourceMetrics() ? m : Metrics.of(out);
      }
      case Logs l -> {
        var out = AttributeActions.mapEach(l.resourceLogs(), rl -> {
          Resource r = resource(actions, rl.getResource());
          return r == rl.getResource() ? rl : rl.toBuilder().setResource(r).build();
        });
        yield out == l.resourceLogs() ? l : Logs.of(out);
      }
    };
  }

  private static Resource resource(AttributeActions actions, Resource r) {
    List<KeyValue> after = actions.apply(r.getAttributesList());
    return after == r.getAttributesList() ? r : r.toBuilder().clearAttributes().addAllAttributes(after).build();
  }
}

package io.sightline.collector.pipeline;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.Location;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The factories a config may name, keyed by type, for each kind of component. The server builds one with the
 * built-in factories plus its embedded stores.
 *
 * <p>Types the Collector has and Sightline will have, but does not yet, are listed so that a config naming them fails
 * with "not supported yet" rather than "unknown type": the user learns the difference between a typo and a gap.
 */
public final class Components {
  private static final Set<String> PLANNED_RECEIVERS = Set.of("prometheus", "prometheusremotewrite", "loki");
  private static final Set<String> PLANNED_PROCESSORS = Set.of();
  private static final Set<String> PLANNED_EXPORTERS = Set.of("loki");
  private static final Set<String> PLANNED_CONNECTORS = Set.of("spanmetrics", "servicegraph");

  private final Map<String, ReceiverFactory<?>> receivers;
  private final Map<String, ProcessorFactory<?>> processors;
  private final Map<String, ExporterFactory<?>> exporters;

  private Components(Builder b) {
    this.receivers = Map.copyOf(b.receivers);
    this.processors = Map.copyOf(b.processors);
    this.exporters = Map.copyOf(b.exporters);
  }

  public static Builder builder() {
    return new Builder();
  }

  ReceiverFactory<?> receiver(ComponentId id, Location at, String path) {
    return lookup(receivers, PLANNED_RECEIVERS, "receivers", id, at, path);
  }

  ProcessorFactory<?> processor(ComponentId id, Location at, String path) {
    return lookup(processors, PLANNED_PROCESSORS, "processors", id, at, path);
  }

  ExporterFactory<?> exporter(ComponentId id, Location at, String path) {
    return lookup(exporters, PLANNED_EXPORTERS, "exporters", id, at, path);
  }

  static ConfigException connectorNotSupported(ComponentId id, Location at, String path) {
    String why = PLANNED_CONNECTORS.contains(id.type()) ? "not supported yet: connector type \"" + id.type() + "\""
        : "unknown connector type \"" + id.type() + "\" (planned: " + new TreeSet<>(PLANNED_CONNECTORS) + ")";
    return new ConfigException(at, path, why);
  }

  private static <F> F lookup(Map<String, F> known, Set<String> planned, String kind, ComponentId id, Location at,
      String path) {
    F factory = known.get(id.type());
    if (factory != null) {
      return factory;
    }
    if (planned.contains(id.type())) {
      throw new ConfigException(at, path, "not supported yet: " + kind + " type \"" + id.type() + "\"");
    }
    throw new ConfigException(at, path, "unknown type \"" + id.type() + "\" for id \"" + id + "\" (valid values: "
        + new TreeSet<>(known.keySet()) + ")");
  }

  /** Collects factories; a type registered twice is a programming error. */
  public static final class Builder {
    private final Map<String, ReceiverFactory<?>> receivers = new LinkedHashMap<>();
    private final Map<String, ProcessorFactory<?>> processors = new LinkedHashMap<>();
    private final Map<String, ExporterFactory<?>> exporters = new LinkedHashMap<>();

    public Builder receiver(ReceiverFactory<?> f) {
      put(receivers, f.type(), f);
      return this;
    }

    public Builder processor(ProcessorFactory<?> f) {
      put(processors, f.type(), f);
      return this;
    }

    public Builder exporter(ExporterFactory<?> f) {
      put(exporters, f.type(), f);
      return this;
    }

    public Components build() {
      return new Components(this);
    }

    private static <F> void put(Map<String, F> map, String type, F factory) {
      if (map.putIfAbsent(type, factory) != null) {
        throw new IllegalArgumentException("two factories for type " + type);
      }
    }
  }
}

package io.sightline.collector.pipeline;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigList;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.ConfigNode;
import io.sightline.collector.config.ConfigScalar;
import io.sightline.collector.config.Location;
import io.sightline.collector.obsreport.ObsReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running graph of a Collector config: built from {@code receivers}, {@code processors}, {@code exporters} and
 * {@code service.pipelines}, started exporters-first and closed receivers-first.
 *
 * <pre>
 *   receiver otlp ──┬─▶ traces:  memory_limiter ▶ batch ▶ ┬─▶ exporter debug   (one instance per id and signal)
 *   (one instance,  │                                     └─▶ exporter store
 *    all signals)   └─▶ traces/2: batch ──────────────────────▶ exporter debug   (shared with the pipeline above)
 * </pre>
 *
 * Every component defined in the config is validated, used or not, as the Collector does.
 */
public final class Pipelines implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pipelines.class);

  private final Map<ComponentId, Receiver> receivers;
  private final List<List<Component>> processorChains;
  private final Map<ExporterKey, Exporter<?>> exporters;
  private final List<String> pipelineIds;
  private final ShutdownGate gate;
  private boolean started;

  private Pipelines(Map<ComponentId, Receiver> receivers, List<List<Component>> processorChains,
      Map<ExporterKey, Exporter<?>> exporters, List<String> pipelineIds, ShutdownGate gate) {
    this.gate = gate;
    this.receivers = receivers;
    this.processorChains = processorChains;
    this.exporters = exporters;
    this.pipelineIds = pipelineIds;
  }

  private record ExporterKey(ComponentId id, Signal signal) {}

  private record Defined<F>(ComponentId id, F factory, Object config) {}

  private record PipelineSpec(String id, Signal signal, List<ComponentId> receivers, List<ComponentId> processors,
      List<ComponentId> exporters) {}

  /**
   * Reads the Collector sections of {@code root} and builds the graph, without starting anything. Reads only the
   * keys it owns; the caller checks the rest of the file.
   */
  public static Pipelines build(ConfigMap root, Components components, Host host) {
    Map<ComponentId, Defined<ReceiverFactory<?>>> receiverDefs = new LinkedHashMap<>();
    ConfigMap receiverSection = root.map("receivers");
    for (var e : sections(receiverSection).entrySet()) {
      ConfigMap cfg = e.getValue().config();
      ReceiverFactory<?> f = components.receiver(e.getKey(), e.getValue().at(), cfg.path());
      receiverDefs.put(e.getKey(), new Defined<>(e.getKey(), f, f.parseConfig(cfg)));
    }
    Map<ComponentId, Defined<ProcessorFactory<?>>> processorDefs = new LinkedHashMap<>();
    for (var e : sections(root.map("processors")).entrySet()) {
      ConfigMap cfg = e.getValue().config();
      ProcessorFactory<?> f = components.processor(e.getKey(), e.getValue().at(), cfg.path());
      processorDefs.put(e.getKey(), new Defined<>(e.getKey(), f, f.parseConfig(cfg)));
    }
    Map<ComponentId, Defined<ExporterFactory<?>>> exporterDefs = new LinkedHashMap<>();
    for (var e : sections(root.map("exporters")).entrySet()) {
      ConfigMap cfg = e.getValue().config();
      ExporterFactory<?> f = components.exporter(e.getKey(), e.getValue().at(), cfg.path());
      exporterDefs.put(e.getKey(), new Defined<>(e.getKey(), f, f.parseConfig(cfg)));
    }
    for (var e : sections(root.map("connectors")).entrySet()) {
      throw Components.connectorNotSupported(e.getKey(), e.getValue().at(), e.getValue().config().path());
    }
    for (var e : sections(root.map("extensions")).entrySet()) {
      throw new ConfigException(e.getValue().at(), e.getValue().config().path(),
          "not supported yet: extensions (Sightline serves /-/healthy and /-/ready on its HTTP port)");
    }

    ConfigMap service = root.map("service");
    ConfigMap pipelinesSection = service.map("pipelines");
    if (pipelinesSection.isEmpty()) {
      throw new ConfigException(pipelinesSection.location(), pipelinesSection.path(), "at least one pipeline is required");
    }
    List<PipelineSpec> specs = new ArrayList<>();
    for (String key : pipelinesSection.keys()) {
      ConfigMap p = pipelinesSection.map(key);
      ComponentId pid = parseId(key, pipelinesSection.keyLocation(key), p.path());
      Signal signal = Signal.fromConfigName(pid.type());
      if (signal == null) {
        throw new ConfigException(pipelinesSection.keyLocation(key), p.path(), "unknown pipeline type \"" + pid.type()
            + "\" (valid values: traces, metrics, logs)");
      }
      List<ComponentId> rs = references(p, "receivers", receiverDefs, true);
      List<ComponentId> ps = references(p, "processors", processorDefs, false);
      List<ComponentId> xs = references(p, "exporters", exporterDefs, true);
      p.finish();
      for (ComponentId r : rs) {
        check(receiverDefs.get(r).factory().signals().contains(signal), p, "receivers", r, signal);
      }
      for (ComponentId x : ps) {
        check(processorDefs.get(x).factory().signals().contains(signal), p, "processors", x, signal);
      }
      for (ComponentId x : xs) {
        check(exporterDefs.get(x).factory().signals().contains(signal), p, "exporters", x, signal);
      }
      specs.add(new PipelineSpec(key, signal, rs, ps, xs));
    }

    // Exporters: one per id and signal, shared by the pipelines that name it.
    Map<ExporterKey, Exporter<?>> exporters = new LinkedHashMap<>();
    Map<ComponentId, Map<Signal, List<Consumer<?>>>> receiverTargets = new LinkedHashMap<>();
    List<List<Component>> chains = new ArrayList<>();
    ObsReport obs = host.obsReport();
    for (PipelineSpec spec : specs) {
      List<Consumer<Telemetry>> outs = new ArrayList<>();
      for (ComponentId x : spec.exporters()) {
        Exporter<?> exporter = exporters.computeIfAbsent(new ExporterKey(x, spec.signal()),
            k -> obs.observe(createExporter(exporterDefs.get(x), host, spec.signal()), x, spec.signal()));
        outs.add(cast(exporter));
      }
      Consumer<Telemetry> next = Consumer.fanOut(outs);
      List<Component> chain = new ArrayList<>();
      List<ComponentId> ps = spec.processors();
      for (int i = ps.size() - 1; i >= 0; i--) {
        Processor<Telemetry> processor = createProcessor(processorDefs.get(ps.get(i)), host, spec.signal(), next);
        chain.add(0, processor);
        next = processor;
      }
      chains.add(chain);
      for (ComponentId r : spec.receivers()) {
        receiverTargets.computeIfAbsent(r, k -> new EnumMap<>(Signal.class))
            .computeIfAbsent(spec.signal(), k -> new ArrayList<>()).add(next);
      }
    }
    Map<ComponentId, Receiver> receivers = new LinkedHashMap<>();
    ShutdownGate gate = new ShutdownGate();
    for (var e : receiverTargets.entrySet()) {
      Map<Signal, List<Consumer<?>>> bySignal = e.getValue();
      NextConsumers next = new NextConsumers(gate.guard(fan(bySignal.get(Signal.TRACES))),
          gate.guard(fan(bySignal.get(Signal.METRICS))), gate.guard(fan(bySignal.get(Signal.LOGS))));
      receivers.put(e.getKey(), createReceiver(receiverDefs.get(e.getKey()), host, next));
    }
    return new Pipelines(receivers, chains, exporters, specs.stream().map(PipelineSpec::id).toList(), gate);
  }

  /** Starts exporters, then processors, then receivers; on a failure, closes what had started and rethrows. */
  public void start() throws Exception {
    List<Component> order = new ArrayList<>(exporters.values());
    for (List<Component> chain : processorChains) {
      List<Component> reversed = new ArrayList<>(chain);
      Collections.reverse(reversed);
      order.addAll(reversed);
    }
    order.addAll(receivers.values());
    List<Component> done = new ArrayList<>();
    try {
      for (Component c : order) {
        c.start();
        done.add(c);
      }
    } catch (Exception e) {
      Collections.reverse(done);
      for (Component c : done) {
        closeQuietly(c);
      }
      throw e;
    }
    started = true;
    log.atInfo().addKeyValue("pipelines", pipelineIds).log("pipelines started");
  }

  /**
   * The gate refuses new data (retryably: the client sends it again after the restart); each pipeline's processors
   * flush front to back, which completes the requests in flight (they wait for durability, so they cannot finish
   * before the flush); then the receivers close their ports, and the exporters make everything durable and close.
   */
  @Override
  public void close() {
    if (!started) {
      return;
    }
    started = false;
    gate.close();
    for (List<Component> chain : processorChains) {
      chain.forEach(Pipelines::closeQuietly);
    }
    receivers.values().forEach(Pipelines::closeQuietly);
    exporters.values().forEach(Pipelines::closeQuietly);
    log.info("pipelines stopped");
  }

  public Receiver receiver(ComponentId id) {
    return receivers.get(id);
  }

  public List<String> pipelineIds() {
    return pipelineIds;
  }

  private static void closeQuietly(Component c) {
    try {
      c.close();
    } catch (Exception e) {
      log.atWarn().setCause(e).addKeyValue("component", c).log("error while closing component");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T extends Telemetry> Consumer<T> fan(List<Consumer<?>> consumers) {
    return consumers == null ? null : Consumer.fanOut((List) consumers);
  }

  @SuppressWarnings("unchecked")
  private static Consumer<Telemetry> cast(Exporter<?> exporter) {
    return (Consumer<Telemetry>) exporter;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Exporter<Telemetry> createExporter(Defined<ExporterFactory<?>> d, Host host, Signal signal) {
    ExporterFactory f = d.factory();
    return f.create(new ComponentSettings(d.id(), host), d.config(), signal);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Processor<Telemetry> createProcessor(Defined<ProcessorFactory<?>> d, Host host, Signal signal,
      Consumer<Telemetry> next) {
    ProcessorFactory f = d.factory();
    return f.create(new ComponentSettings(d.id(), host), d.config(), signal, next);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Receiver createReceiver(Defined<ReceiverFactory<?>> d, Host host, NextConsumers next) {
    ReceiverFactory f = d.factory();
    return f.create(new ComponentSettings(d.id(), host), d.config(), next);
  }

  /** A component's config and where its id was written. */
  private record Section(ConfigMap config, Location at) {}

  /** The entries of a section, ids parsed; a null entry ({@code batch:}) is an empty config. */
  private static Map<ComponentId, Section> sections(ConfigMap section) {
    Map<ComponentId, Section> out = new LinkedHashMap<>();
    for (String key : section.keys()) {
      ConfigMap cfg = section.map(key);
      out.put(parseId(key, section.keyLocation(key), cfg.path()), new Section(cfg, section.keyLocation(key)));
    }
    return out;
  }

  private static ComponentId parseId(String key, Location at, String path) {
    try {
      return ComponentId.parse(key);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at, path, e.getMessage());
    }
  }

  private static List<ComponentId> references(ConfigMap pipeline, String key, Map<ComponentId, ?> defined,
      boolean required) {
    ConfigNode node = pipeline.node(key).orElse(null);
    List<ComponentId> ids = new ArrayList<>();
    if (node instanceof ConfigList list) {
      for (ConfigNode item : list.items()) {
        if (!(item instanceof ConfigScalar s) || s.isNull()) {
          throw new ConfigException(item.location(), item.path(), "expected a component id, got " + item.kind());
        }
        ComponentId id;
        try {
          id = ComponentId.parse(s.value());
        } catch (IllegalArgumentException e) {
          throw new ConfigException(item.location(), item.path(), e.getMessage());
        }
        if (!defined.containsKey(id)) {
          throw new ConfigException(item.location(), item.path(),
              "references " + key.substring(0, key.length() - 1) + " \"" + id + "\" which is not configured in the "
                  + key + " section");
        }
        if (ids.contains(id)) {
          throw new ConfigException(item.location(), item.path(), "\"" + id + "\" is listed twice");
        }
        ids.add(id);
      }
    } else if (node != null && !(node instanceof ConfigScalar s && s.isNull())) {
      throw new ConfigException(node.location(), node.path(), "expected a list, got " + node.kind());
    }
    if (required && ids.isEmpty()) {
      throw new ConfigException(pipeline.location(), ConfigNode.child(pipeline.path(), key),
          "must have at least one " + key.substring(0, key.length() - 1));
    }
    return ids;
  }

  private static void check(boolean supported, ConfigMap pipeline, String key, ComponentId id, Signal signal) {
    if (!supported) {
      throw new ConfigException(pipeline.locationOf(key), ConfigNode.child(pipeline.path(), key),
          "\"" + id + "\" does not support " + signal.configName());
    }
  }
}

package io.sightline.collector.generator;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigList;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.ConfigNode;
import io.sightline.collector.generator.registry.Registry;
import io.sightline.collector.generator.registry.RegistryConfig;
import io.sightline.collector.generator.servicegraph.ServiceGraphConfig;
import io.sightline.collector.generator.spanmetrics.SpanMetricsConfig;
import io.sightline.collector.generator.spans.SpanAttributes;
import io.sightline.collector.remotewrite.RemoteWriteConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code metrics_generator} section, in Tempo's shape. Tempo enables processors per tenant in its overrides;
 * Sightline has one tenant, so {@code processors} sits here, as do {@code trace_id_label_name} and
 * {@code max_active_series} (under {@code registry}), Tempo's override keys of the same names.
 *
 * @param processors the processors and sub-processors asked for, by Tempo's names
 * @param spanMetrics null when no span metrics are made
 * @param serviceGraphs null when no service graph metrics are made
 * @param ingestionSlack spans that ended further than this from now (past or future) are left out, as Tempo's
 *     {@code metrics_ingestion_time_range_slack}: late or replayed spans would count in the wrong interval
 * @param traceIdLabel the exemplar label holding the trace id
 * @param storage where the series go besides the embedded metric store
 */
public record GeneratorConfig(Set<String> processors, RegistryConfig registry, SpanMetricsConfig spanMetrics,
    ServiceGraphConfig serviceGraphs, Duration ingestionSlack, String traceIdLabel, Storage storage) {
  public static final String SPAN_METRICS = "span-metrics";
  public static final String SPAN_METRICS_COUNT = "span-metrics-count";
  public static final String SPAN_METRICS_LATENCY = "span-metrics-latency";
  public static final String SPAN_METRICS_SIZE = "span-metrics-size";
  public static final String SERVICE_GRAPHS = "service-graphs";
  public static final String SERVICE_GRAPHS_REQUEST = "service-graphs-request";
  public static final String SERVICE_GRAPHS_LATENCY = "service-graphs-latency";
  public static final String SERVICE_GRAPHS_CONNECTION_INFO = "service-graphs-connection-info";
  static final List<String> KNOWN = List.of(SERVICE_GRAPHS, SERVICE_GRAPHS_REQUEST, SERVICE_GRAPHS_LATENCY,
      SERVICE_GRAPHS_CONNECTION_INFO, SPAN_METRICS, SPAN_METRICS_COUNT, SPAN_METRICS_LATENCY, SPAN_METRICS_SIZE);
  /** Both, as Sightline's point is to have the metrics without setting anything up. */
  public static final List<String> DEFAULT_PROCESSORS = List.of(SERVICE_GRAPHS, SPAN_METRICS);
  /** Tempo's default. */
  public static final Duration DEFAULT_INGESTION_SLACK = Duration.ofSeconds(30);

  public GeneratorConfig {
    processors = Set.copyOf(processors);
  }

  /**
   * {@code metrics_generator.storage}: Tempo's remote-write endpoints. Tempo puts the series in a WAL
   * ({@code path}, {@code wal}) that Prometheus' remote storage reads; Sightline queues them in memory.
   *
   * @param remoteWrite Prometheus {@code remote_write} entries; every collection goes to each
   * @param flushDeadline how long shutdown waits for the queues to send what they hold
   * @param addOrgIdHeader Tempo's {@code remote_write_add_org_id_header}: with one tenant (Tempo's single-tenant
   *     mode) no {@code X-Scope-OrgID} is added either way
   */
  public record Storage(List<RemoteWriteConfig> remoteWrite, Duration flushDeadline, boolean addOrgIdHeader) {
    /** Tempo's default. */
    public static final Duration DEFAULT_FLUSH_DEADLINE = Duration.ofMinutes(1);
    public static final Storage NONE = new Storage(List.of(), DEFAULT_FLUSH_DEADLINE, true);

    public Storage {
      remoteWrite = List.copyOf(remoteWrite);
    }

    static Storage parse(ConfigMap m) {
      // Tempo sets send_exemplars on every entry whatever it says (its registry's exemplars are the point of
      // remote-writing span metrics); Sightline makes it the default and honours an explicit false.
      List<RemoteWriteConfig> remoteWrite = RemoteWriteConfig.parseList(m, "remote_write", true);
      Duration deadline = m.duration("remote_write_flush_deadline", DEFAULT_FLUSH_DEADLINE);
      if (!deadline.isPositive()) {
        throw m.error("remote_write_flush_deadline", "must be positive");
      }
      boolean orgId = m.bool("remote_write_add_org_id_header", true);
      // Tempo's WAL for remote write: Sightline's queue is in memory.
      m.notSupportedYet("path", "wal");
      m.finish();
      return new Storage(remoteWrite, deadline, orgId);
    }
  }

  /** Whether any processor runs. */
  public boolean enabled() {
    return spanMetrics != null || serviceGraphs != null;
  }

  /** Reads the whole section and checks it, unknown keys included. */
  public static GeneratorConfig parse(ConfigMap m) {
    Set<String> processors = new LinkedHashSet<>();
    List<String> listed = m.has("processors") ? m.stringList("processors") : DEFAULT_PROCESSORS;
    ConfigNode listNode = m.node("processors").orElse(null);
    for (int i = 0; i < listed.size(); i++) {
      String p = listed.get(i);
      if (!KNOWN.contains(p)) {
        ConfigNode at = listNode instanceof ConfigList l ? l.items().get(i) : listNode;
        throw new ConfigException(at.location(), at.path(), "\"" + p + "\" is not a known processor, valid values: "
            + KNOWN);
      }
      processors.add(p);
    }
    Duration slack = m.duration("metrics_ingestion_time_range_slack", DEFAULT_INGESTION_SLACK);
    if (slack.isNegative() || slack.isZero()) {
      throw m.error("metrics_ingestion_time_range_slack", "must be positive");
    }
    String traceIdLabel = m.string("trace_id_label_name", Registry.DEFAULT_TRACE_ID_LABEL);
    if (traceIdLabel.isEmpty() || !traceIdLabel.equals(SpanAttributes.sanitizeLabelName(traceIdLabel))) {
      throw m.error("trace_id_label_name", "\"" + traceIdLabel + "\" is not a valid Prometheus label name");
    }
    RegistryConfig registry = RegistryConfig.parse(m.map("registry"));
    ConfigMap processor = m.map("processor");
    boolean allSpanMetrics = processors.contains(SPAN_METRICS);
    boolean count = allSpanMetrics || processors.contains(SPAN_METRICS_COUNT);
    boolean latency = allSpanMetrics || processors.contains(SPAN_METRICS_LATENCY);
    boolean size = allSpanMetrics || processors.contains(SPAN_METRICS_SIZE);
    // Both sections are checked even when their processor is off, so that a typo never waits for the day it is on.
    SpanMetricsConfig spanMetrics = SpanMetricsConfig.parse(processor.map("span_metrics"), count, latency, size);
    boolean allGraphs = processors.contains(SERVICE_GRAPHS);
    boolean request = allGraphs || processors.contains(SERVICE_GRAPHS_REQUEST);
    boolean graphLatency = allGraphs || processors.contains(SERVICE_GRAPHS_LATENCY);
    boolean connectionInfo = processors.contains(SERVICE_GRAPHS_CONNECTION_INFO);
    ServiceGraphConfig graphs = ServiceGraphConfig.parse(processor.map("service_graphs"), request, graphLatency,
        connectionInfo);
    processor.notSupportedYet("host_info", "local_blocks");
    processor.finish();
    Storage storage = Storage.parse(m.map("storage"));
    m.finish();
    return new GeneratorConfig(processors, registry, count || latency || size ? spanMetrics : null,
        request || graphLatency || connectionInfo ? graphs : null, slack, traceIdLabel, storage);
  }
}

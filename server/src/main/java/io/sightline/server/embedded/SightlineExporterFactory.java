package io.sightline.server.embedded;

import com.linecorp.armeria.common.CommonPools;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.receiver.loki.LokiDistributor;
import io.sightline.collector.translate.prometheus.OtlpMetricsTranslator;
import io.sightline.collector.translate.prometheus.TranslatorConfig;
import io.sightline.metricstore.MetricStore;
import io.sightline.tracestore.TraceStore;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Type {@code sightline}: the embedded stores as an exporter. OTLP metrics are translated as Prometheus 3 translates
 * them (its {@code otlp} config keys, see {@link TranslatorConfig}) and appended to the metric store; spans go to the
 * trace store as they are, and once stored to {@code storedSpans} (the metrics generator); logs go to the log store
 * as Loki 3 maps OTLP logs. The stores are reached through suppliers, as they open after the components are built.
 */
public final class SightlineExporterFactory implements ExporterFactory<TranslatorConfig> {
  private final Supplier<MetricStore> metricStore;
  private final Supplier<TraceStore> traceStore;
  private final Supplier<LokiDistributor> logs;
  private final Executor executor;
  private final StoredSpans storedSpans;
  private PrometheusRegistry countersRegistry;
  private MetricsExporterCounters counters;

  /** Writes on Armeria's blocking-task pool, never on an event loop. */
  public SightlineExporterFactory(Supplier<MetricStore> metricStore, Supplier<TraceStore> traceStore,
      Supplier<LokiDistributor> logs, StoredSpans storedSpans) {
    this(metricStore, traceStore, logs, CommonPools.blockingTaskExecutor(), storedSpans);
  }

  SightlineExporterFactory(Supplier<MetricStore> metricStore, Supplier<TraceStore> traceStore,
      Supplier<LokiDistributor> logs, Executor executor, StoredSpans storedSpans) {
    this.metricStore = metricStore;
    this.traceStore = traceStore;
    this.logs = logs;
    this.executor = executor;
    this.storedSpans = storedSpans;
  }

  @Override
  public String type() {
    return "sightline";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.of(Signal.METRICS, Signal.TRACES, Signal.LOGS);
  }

  @Override
  public TranslatorConfig parseConfig(ConfigMap config) {
    return TranslatorConfig.parse(config);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, TranslatorConfig config, Signal signal) {
    if (signal == Signal.TRACES) {
      return (Exporter<T>) new SightlineTracesExporter(settings.id().toString(), traceStore, executor,
          storedSpans);
    }
    if (signal == Signal.LOGS) {
      return (Exporter<T>) new SightlineLogsExporter(settings.id().toString(), logs, executor);
    }
    return (Exporter<T>) new SightlineMetricsExporter(settings.id().toString(), metricStore,
        new OtlpMetricsTranslator(config), executor, counters(settings.host().obsReport().registry()));
  }

  /** One set of counters per registry: every exporter id shares them, by label. */
  private synchronized MetricsExporterCounters counters(PrometheusRegistry registry) {
    if (counters == null || countersRegistry != registry) {
      counters = new MetricsExporterCounters(registry);
      countersRegistry = registry;
    }
    return counters;
  }
}

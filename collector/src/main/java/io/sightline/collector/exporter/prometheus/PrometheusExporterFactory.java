package io.sightline.collector.exporter.prometheus;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.exporter.client.ClientSettings;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.translate.prometheus.TranslationStrategy;
import io.sightline.collector.translate.prometheus.TranslatorConfig;
import io.sightline.core.model.Labels;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Type {@code prometheus}, metrics only, with contrib's keys and defaults: {@code endpoint} (required),
 * {@code namespace}, {@code const_labels}, {@code send_timestamps} (false), {@code metric_expiration} (5m),
 * {@code enable_open_metrics} (false), {@code add_metric_suffixes} (true), {@code translation_strategy},
 * {@code without_scope_info} (false), {@code resource_to_telemetry_conversion.enabled} (false).
 */
public final class PrometheusExporterFactory implements ExporterFactory<PrometheusExporterFactory.Config> {
  static final Duration DEFAULT_METRIC_EXPIRATION = Duration.ofMinutes(5);

  public record Config(InetSocketAddress endpoint, Labels constLabels, boolean sendTimestamps,
      Duration metricExpiration, boolean enableOpenMetrics, TranslatorConfig translation) {}

  @Override
  public String type() {
    return "prometheus";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.of(Signal.METRICS);
  }

  @Override
  public Config parseConfig(ConfigMap m) {
    m.notSupportedYet("tls", "resource_constant_labels");
    if (!m.has("endpoint")) {
      throw m.error("endpoint", "endpoint must be specified");
    }
    InetSocketAddress endpoint = m.hostPort("endpoint", "");
    String namespace = m.string("namespace", "");
    Map<String, String> constLabels = ClientSettings.headers(m.map("const_labels"));
    boolean timestamps = m.bool("send_timestamps", false);
    Duration expiration = m.duration("metric_expiration", DEFAULT_METRIC_EXPIRATION);
    boolean openMetrics = m.bool("enable_open_metrics", false);
    boolean suffixes = m.bool("add_metric_suffixes", true);
    String strategyName = m.string("translation_strategy", "");
    boolean withoutScope = m.bool("without_scope_info", false);
    ConfigMap toTelemetry = m.map("resource_to_telemetry_conversion");
    boolean promoteAll = toTelemetry.bool("enabled", false);
    toTelemetry.bool("exclude_service_attributes", false);
    toTelemetry.finish();
    m.finish();
    if (!expiration.isPositive()) {
      throw m.error("metric_expiration", "metric_expiration must be positive");
    }
    TranslationStrategy strategy = suffixes ? TranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES
        : TranslationStrategy.UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES;
    if (!strategyName.isEmpty()) {
      strategy = TranslationStrategy.fromConfigName(strategyName);
      if (strategy == null) {
        throw m.error("translation_strategy", "invalid translation_strategy \"" + strategyName + "\"");
      }
    }
    Labels.Builder labels = Labels.builder();
    constLabels.forEach(labels::set);
    TranslatorConfig translation = new TranslatorConfig(namespace, strategy, List.of(), promoteAll, List.of(), false,
        !withoutScope, true, true, true, TranslatorConfig.DEFAULT_DELTA_MAX_STREAMS);
    return new Config(endpoint, labels.build(), timestamps, expiration, openMetrics, translation);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, Config config, Signal signal) {
    return (Exporter<T>) new PrometheusExporter(settings.id().toString(), config, System::nanoTime);
  }
}

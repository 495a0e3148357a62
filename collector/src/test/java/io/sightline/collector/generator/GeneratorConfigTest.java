package io.sightline.collector.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.generator.registry.RegistryConfig;
import io.sightline.collector.generator.servicegraph.ServiceGraphConfig;
import io.sightline.collector.generator.spanmetrics.SpanMetricsConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code metrics_generator} in Tempo's shape: defaults, sub-processors, and errors with file, line and key. */
class GeneratorConfigTest {
  private static GeneratorConfig parse(String yaml) {
    return GeneratorConfig.parse(new YamlConfigLoader(k -> null).parse("gen.yaml", yaml).map("metrics_generator"));
  }

  @Test
  void defaultsAreTempos() {
    GeneratorConfig c = parse("metrics_generator: {}");
    assertThat(c.processors()).isEqualTo(Set.of("service-graphs", "span-metrics"));
    assertThat(c.registry()).isEqualTo(RegistryConfig.DEFAULTS);
    assertThat(c.registry().collectionInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.registry().staleDuration()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.spanMetrics().histogramBuckets()).containsExactly(0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128,
        0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384);
    assertThat(c.spanMetrics().count() && c.spanMetrics().latency() && c.spanMetrics().size()).isTrue();
    assertThat(c.spanMetrics().intrinsics()).isEqualTo(SpanMetricsConfig.Intrinsics.DEFAULTS);
    assertThat(c.serviceGraphs().histogramBuckets()).containsExactly(0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8);
    assertThat(c.serviceGraphs().waitTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.serviceGraphs().maxItems()).isEqualTo(10_000);
    assertThat(c.serviceGraphs().peerAttributes()).isEqualTo(ServiceGraphConfig.DEFAULT_PEER_ATTRIBUTES);
    assertThat(c.serviceGraphs().connectionInfo()).isFalse();
    assertThat(c.ingestionSlack()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.traceIdLabel()).isEqualTo("traceID");
  }

  @Test
  void subProcessorsPickTheMetrics() {
    GeneratorConfig c = parse("""
        metrics_generator:
          processors: [span-metrics-count, service-graphs-connection-info]
        """);
    assertThat(c.spanMetrics().count()).isTrue();
    assertThat(c.spanMetrics().latency() || c.spanMetrics().size()).isFalse();
    assertThat(c.serviceGraphs().connectionInfo()).isTrue();
    assertThat(c.serviceGraphs().request() || c.serviceGraphs().latency()).isFalse();
    GeneratorConfig none = parse("""
        metrics_generator:
          processors: []
        """);
    assertThat(none.enabled()).isFalse();
  }

  @Test
  void everyKeyIsRead() {
    GeneratorConfig c = parse("""
        metrics_generator:
          metrics_ingestion_time_range_slack: 1m
          trace_id_label_name: trace_id
          registry:
            collection_interval: 200ms
            stale_duration: 5m
            external_labels: {cluster: eu-1}
            max_active_series: 0
          processor:
            span_metrics:
              histogram_buckets: [0.1, 1]
              dimensions: [http.route]
              enable_target_info: true
            service_graphs:
              wait: 2s
              max_items: 5
              workers: 1
              dimensions: [env]
              enable_client_server_prefix: true
              peer_attributes: [peer.service]
              database_name_attributes: [db.name]
        """);
    assertThat(c.registry().collectionInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.registry().externalLabels()).isEqualTo(Map.of("cluster", "eu-1"));
    assertThat(c.registry().maxActiveSeries()).isZero();
    assertThat(c.spanMetrics().histogramBuckets()).containsExactly(0.1, 1);
    assertThat(c.spanMetrics().enableTargetInfo()).isTrue();
    assertThat(c.serviceGraphs().waitTime()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.serviceGraphs().peerAttributes()).containsExactly("peer.service");
    assertThat(c.traceIdLabel()).isEqualTo("trace_id");
    assertThat(c.ingestionSlack()).isEqualTo(Duration.ofMinutes(1));
  }

  private static String error(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + yaml);
  }

  @Test
  void mistakesNameFileLineAndKey() {
    assertThat(error("""
        metrics_generator:
          processor:
            span_metrics:
              dimensons: [a]
        """)).startsWith("gen.yaml:4:7: metrics_generator.processor.span_metrics.dimensons: unknown key \"dimensons\"");
    assertThat(error("""
        metrics_generator:
          processors: [span-metrics, spanmetrics]
        """)).startsWith("gen.yaml:2:30: metrics_generator.processors[1]: \"spanmetrics\" is not a known processor");
    assertThat(error("""
        metrics_generator:
          processor:
            service_graphs:
              histogram_buckets: [1, 0.5]
        """)).contains("metrics_generator.processor.service_graphs.histogram_buckets: must be strictly increasing");
    assertThat(error("""
        metrics_generator:
          processor:
            span_metrics:
              intrinsic_dimensions: {span_id: true}
        """)).contains("metrics_generator.processor.span_metrics.intrinsic_dimensions.span_id: unknown key");
    assertThat(error("""
        metrics_generator:
          processor:
            span_metrics:
              dimensions: [http.route]
              dimension_mappings: [{name: http.route, source_labels: [x]}]
        """)).contains("dimension_mapping \"http.route\" produces label \"http_route\" which collides with "
            + "dimension \"http.route\"");
    assertThat(error("""
        metrics_generator:
          registry:
            collection_interval: 0s
        """)).contains("metrics_generator.registry.collection_interval: must be positive");
  }

  @Test
  void storageHasTemposRemoteWriteKeys() {
    GeneratorConfig none = parse("metrics_generator: {}");
    assertThat(none.storage()).isEqualTo(GeneratorConfig.Storage.NONE);
    GeneratorConfig c = parse("""
        metrics_generator:
          storage:
            remote_write_flush_deadline: 10s
            remote_write_add_org_id_header: false
            remote_write:
              - url: http://prometheus:9090/api/v1/write
              - url: http://mimir:8080/api/v1/push
                name: mimir
                send_exemplars: false
        """);
    assertThat(c.storage().flushDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.storage().addOrgIdHeader()).isFalse();
    assertThat(c.storage().remoteWrite()).hasSize(2);
    // Tempo sends exemplars whatever the entry says; Sightline makes that the default and honours a false.
    assertThat(c.storage().remoteWrite().get(0).sendExemplars()).isTrue();
    assertThat(c.storage().remoteWrite().get(1).sendExemplars()).isFalse();
    assertThat(c.storage().remoteWrite().get(1).name()).isEqualTo("mimir");
  }

  @Test
  void storageWalIsNotSupportedYet() {
    assertThatThrownBy(() -> parse("""
        metrics_generator:
          storage:
            path: /var/tempo/generator/wal
            remote_write:
              - url: http://prometheus:9090/api/v1/write
        """)).isInstanceOf(ConfigException.class).hasMessageStartingWith("gen.yaml:3:5: "
            + "metrics_generator.storage.path: not supported yet: path");
    assertThat(error("""
        metrics_generator:
          storage:
            remote_write:
              - url: http://prometheus:9090/api/v1/write
                queue_config: {max_samples_per_send: 0}
        """)).isEqualTo("gen.yaml:5:46: metrics_generator.storage.remote_write[0].queue_config.max_samples_per_send: "
            + "remote write queue max_samples_per_send must be positive");
    assertThat(error("""
        metrics_generator:
          storage:
            remote_write_flush_deadline: 0s
        """)).contains("metrics_generator.storage.remote_write_flush_deadline: must be positive");
  }

  @Test
  void otherUnsupportedKeys() {
    assertThat(error("""
        metrics_generator:
          processor:
            span_metrics:
              filter_policies: []
        """)).contains("not supported yet: filter_policies");
  }
}

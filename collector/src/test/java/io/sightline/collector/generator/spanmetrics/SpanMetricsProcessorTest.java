package io.sightline.collector.generator.spanmetrics;

import static io.sightline.collector.generator.Spans.attr;
import static io.sightline.collector.generator.Spans.error;
import static io.sightline.collector.generator.Spans.resource;
import static io.sightline.collector.generator.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.generator.RecordingSink;
import io.sightline.collector.generator.Spans;
import io.sightline.collector.generator.registry.Registry;
import io.sightline.collector.generator.registry.RegistryConfig;
import io.sightline.core.model.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The series Tempo's span metrics processor makes, to the label and the value. */
class SpanMetricsProcessorTest {
  /** 30 s into a minute: new series start at 0 one second before that minute, as in Tempo. */
  private static final long NOW = 1_700_000_010_000L;
  private static final long INITIAL = 1_699_999_979_000L;
  private static final String SERVER = "service=\"order-service\", span_kind=\"SPAN_KIND_SERVER\", "
      + "span_name=\"GET /orders\", status_code=\"STATUS_CODE_UNSET\"";

  private final AtomicLong clock = new AtomicLong(NOW);
  private final RecordingSink sink = new RecordingSink();

  private Registry registry(RegistryConfig config) {
    return new Registry(config, Registry.DEFAULT_TRACE_ID_LABEL, clock::get);
  }

  private static SpanMetricsConfig config(String yaml) {
    return SpanMetricsConfig.parse(new YamlConfigLoader(k -> null).parse("test.yaml", yaml), true, true, true);
  }

  @Test
  void callsLatencyAndSizeWithTempoLabelsBucketsAndExemplars() {
    Registry registry = registry(RegistryConfig.DEFAULTS);
    SpanMetricsProcessor p = new SpanMetricsProcessor(SpanMetricsConfig.DEFAULTS, registry);
    Span.Builder fast = span("GET /orders", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7", null, NOW - 1000, 5);
    Span.Builder slow = span("GET /orders", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b8", null, NOW - 1000, 300);
    Span.Builder db = error(span("SELECT", SpanKind.SPAN_KIND_CLIENT, "00f067aa0ba902b9", "00f067aa0ba902b7",
        NOW - 1000, 1), "timeout");
    ResourceSpans rs = resource("order-service", fast, slow, db);
    p.push(Spans.wire(rs), NOW);
    registry.collect(sink);

    Map<String, Double> calls = sink.at(NOW, "traces_spanmetrics_calls_total");
    assertThat(calls).containsOnly(
        entry("traces_spanmetrics_calls_total{" + SERVER + "}", 2.0),
        entry("traces_spanmetrics_calls_total{service=\"order-service\", span_kind=\"SPAN_KIND_CLIENT\", "
            + "span_name=\"SELECT\", status_code=\"STATUS_CODE_ERROR\"}", 1.0));
    assertThat(sink.valueAt("traces_spanmetrics_calls_total{" + SERVER + "}", INITIAL)).isEqualTo(0.0);

    Map<String, Double> buckets = sink.at(NOW, "traces_spanmetrics_latency_bucket");
    String[] le = {"0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512", "1.024",
        "2.048", "4.096", "8.192", "16.384", "+Inf"};
    double[] expected = {0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2};
    for (int i = 0; i < le.length; i++) {
      assertThat(buckets).containsEntry("traces_spanmetrics_latency_bucket{le=\"" + le[i] + "\", " + SERVER + "}",
          expected[i]);
      assertThat(sink.valueAt("traces_spanmetrics_latency_bucket{le=\"" + le[i] + "\", " + SERVER + "}", INITIAL))
          .isEqualTo(0.0);
    }
    assertThat(buckets).hasSize(2 * le.length);
    assertThat(sink.valueAt("traces_spanmetrics_latency_count{" + SERVER + "}", NOW)).isEqualTo(2.0);
    assertThat(sink.valueAt("traces_spanmetrics_latency_count{" + SERVER + "}", INITIAL)).isEqualTo(0.0);
    assertThat(sink.valueAt("traces_spanmetrics_latency_sum{" + SERVER + "}", NOW)).isCloseTo(0.305,
        org.assertj.core.data.Offset.offset(1e-12));
    // Tempo gives _sum no initial zero.
    assertThat(sink.valueAt("traces_spanmetrics_latency_sum{" + SERVER + "}", INITIAL)).isNull();

    long size = rs.getScopeSpans(0).getSpans(0).getSerializedSize() + rs.getScopeSpans(0).getSpans(1)
        .getSerializedSize();
    assertThat(sink.valueAt("traces_spanmetrics_size_total{" + SERVER + "}", NOW)).isEqualTo((double) size);

    // One exemplar per bucket an observation fell in, the trace id under traceID, the latency as value.
    assertThat(sink.exemplars).extracting(e -> e.series().toString(), e -> e.labels(), e -> e.value(),
        e -> e.timestampMs()).contains(
            org.assertj.core.groups.Tuple.tuple("traces_spanmetrics_latency_bucket{le=\"0.008\", " + SERVER + "}",
                Labels.of("traceID", Spans.TRACE), 0.005, NOW),
            org.assertj.core.groups.Tuple.tuple("traces_spanmetrics_latency_bucket{le=\"0.512\", " + SERVER + "}",
                Labels.of("traceID", Spans.TRACE), 0.3, NOW));
    assertThat(sink.exemplars).hasSize(3);

    assertThat(sink.metadata).containsEntry("traces_spanmetrics_calls_total",
        new RecordingSink.Metadata("counter", "Total count of the spans"));
    assertThat(sink.metadata.get("traces_spanmetrics_latency").type()).isEqualTo("histogram");
    assertThat(sink.metadata.get("traces_spanmetrics_size_total").type()).isEqualTo("counter");
    // 2 label sets × (1 calls + 17 latency + 1 size)
    assertThat(registry.activeSeries()).isEqualTo(38);
  }

  @Test
  void laterCollectionsCarryOnWithoutInitialZeroAndExemplarsOnlyOnce() {
    Registry registry = registry(RegistryConfig.DEFAULTS);
    SpanMetricsProcessor p = new SpanMetricsProcessor(SpanMetricsConfig.DEFAULTS, registry);
    p.push(Spans.wire(resource("order-service", span("GET /orders", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7",
        null, NOW, 5))), NOW);
    registry.collect(sink);
    sink.clear();
    clock.set(NOW + 15_000);
    registry.collect(sink);
    assertThat(sink.valueAt("traces_spanmetrics_calls_total{" + SERVER + "}", NOW + 15_000)).isEqualTo(1.0);
    assertThat(sink.samples).allSatisfy(s -> assertThat(s.timestampMs()).isEqualTo(NOW + 15_000));
    assertThat(sink.exemplars).isEmpty();
  }

  @Test
  void dimensionsAreSanitizedLookedUpInResourceFirstAndPrefixedOnCollision() {
    Registry registry = registry(RegistryConfig.DEFAULTS);
    SpanMetricsProcessor p = new SpanMetricsProcessor(config("""
        dimensions: [http.request.method, deployment.environment, status_code, retries]
        intrinsic_dimensions:
          span_kind: false
          status_message: true
        """), registry);
    Resource resource = Resource.newBuilder().addAttributes(attr("service.name", "api"))
        .addAttributes(attr("deployment.environment", "prod")).build();
    p.push(Spans.wire(resource(resource, error(span("GET", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7", null, NOW,
        1), "boom").addAttributes(attr("http.request.method", "GET")).addAttributes(attr("deployment.environment",
            "ignored")).addAttributes(attr("status_code", 503L)).addAttributes(attr("retries", 2.5)))), NOW);
    registry.collect(sink);
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total")).containsOnlyKeys("traces_spanmetrics_calls_total{"
        + "__status_code=\"503\", deployment_environment=\"prod\", http_request_method=\"GET\", retries=\"2.5\", "
        + "service=\"api\", span_name=\"GET\", status_code=\"STATUS_CODE_ERROR\", status_message=\"boom\"}");
  }

  @Test
  void dimensionMappingsJoinTheValuesPresent() {
    Registry registry = registry(RegistryConfig.DEFAULTS);
    SpanMetricsProcessor p = new SpanMetricsProcessor(config("""
        intrinsic_dimensions: {span_name: false, span_kind: false, status_code: false}
        dimension_mappings:
          - name: route
            source_labels: [http.request.method, missing, http.route]
            join: " "
        """), registry);
    p.push(Spans.wire(resource("api", span("x", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7", null, NOW, 1)
        .addAttributes(attr("http.route", "/orders")).addAttributes(attr("http.request.method", "POST")))), NOW);
    registry.collect(sink);
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total")).containsOnlyKeys(
        "traces_spanmetrics_calls_total{route=\"POST /orders\", service=\"api\"}");
  }

  @Test
  void targetInfoCarriesResourceAttributesAndJobAndInstanceGoOnEverySeries() {
    Registry registry = registry(RegistryConfig.DEFAULTS);
    SpanMetricsProcessor p = new SpanMetricsProcessor(config("""
        enable_target_info: true
        target_info_excluded_dimensions: [process.pid]
        intrinsic_dimensions: {span_kind: false, status_code: false}
        """), registry);
    Resource resource = Resource.newBuilder().addAttributes(attr("service.name", "api"))
        .addAttributes(attr("service.namespace", "shop")).addAttributes(attr("service.instance.id", "pod-1"))
        .addAttributes(attr("host.name", "node-7")).addAttributes(attr("process.pid", 42L))
        .addAttributes(attr("job", "x")).addAttributes(attr("1bad", "y")).build();
    p.push(Spans.wire(resource(resource, span("GET", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7", null, NOW, 1))),
        NOW);
    registry.collect(sink);
    assertThat(sink.at(NOW, "traces_target_info")).containsOnly(entry(
        "traces_target_info{__job=\"x\", host_name=\"node-7\", instance=\"pod-1\", job=\"shop/api\"}", 1.0));
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total")).containsOnlyKeys(
        "traces_spanmetrics_calls_total{instance=\"pod-1\", job=\"shop/api\", service=\"api\", span_name=\"GET\"}");
    assertThat(sink.metadata.get("traces_target_info").type()).isEqualTo("gauge");
  }

  @Test
  void targetInfoNeedsALabelBesidesJobAndInstance() {
    Registry registry = registry(RegistryConfig.DEFAULTS);
    SpanMetricsProcessor p = new SpanMetricsProcessor(config("enable_target_info: true"), registry);
    p.push(Spans.wire(resource("api", span("GET", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7", null, NOW, 1))), NOW);
    registry.collect(sink);
    assertThat(sink.at(NOW, "traces_target_info")).isEmpty();
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total")).hasSize(1);
  }

  @Test
  void spanMultiplierScalesCountsButNotSize() {
    Registry registry = registry(RegistryConfig.DEFAULTS);
    SpanMetricsProcessor p = new SpanMetricsProcessor(config("span_multiplier_key: X-SampleRatio"), registry);
    p.push(Spans.wire(resource("order-service", span("GET /orders", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7",
        null, NOW, 5).addAttributes(attr("X-SampleRatio", 0.25)))), NOW);
    registry.collect(sink);
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total").values()).containsExactly(4.0);
    assertThat(sink.at(NOW, "traces_spanmetrics_latency_count").values()).containsExactly(4.0);
  }

  @Test
  void staleSeriesAreDroppedWithStaleMarkers() {
    Registry registry = registry(new RegistryConfig(Duration.ofSeconds(15), Duration.ofMinutes(1), Map.of(),
        0, 1024, 2048));
    SpanMetricsProcessor p = new SpanMetricsProcessor(SpanMetricsConfig.DEFAULTS, registry);
    p.push(Spans.wire(resource("order-service", span("GET /orders", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7",
        null, NOW, 5))), NOW);
    registry.collect(sink);
    assertThat(registry.activeSeries()).isEqualTo(19);
    sink.clear();
    clock.set(NOW + 61_000);
    registry.collect(sink);
    assertThat(sink.samples).hasSize(19).allSatisfy(s -> {
      assertThat(io.sightline.core.model.StaleMarker.is(s.value())).isTrue();
      assertThat(s.timestampMs()).isEqualTo(NOW + 61_000);
    });
    assertThat(registry.activeSeries()).isZero();
    sink.clear();
    registry.collect(sink);
    assertThat(sink.samples).isEmpty();
  }

  @Test
  void maxActiveSeriesRefusesNewSeriesAndCountsThem() {
    // Room for one label set's 19 series, not two.
    Registry registry = registry(new RegistryConfig(Duration.ofSeconds(15), Duration.ofMinutes(15), Map.of(),
        19, 1024, 2048));
    SpanMetricsProcessor p = new SpanMetricsProcessor(SpanMetricsConfig.DEFAULTS, registry);
    p.push(Spans.wire(resource("order-service",
        span("a", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7", null, NOW, 5),
        span("b", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b8", null, NOW, 5))), NOW);
    registry.collect(sink);
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total")).hasSize(1);
    assertThat(registry.activeSeries()).isEqualTo(19);
    // Span b's calls, latency (17) and size series were all refused.
    assertThat(registry.limitedSeries()).isEqualTo(19);
  }

  @Test
  void externalLabelsGoOnEverySeriesAndLongValuesAreCut() {
    Registry registry = registry(new RegistryConfig(Duration.ofSeconds(15), Duration.ofMinutes(15),
        Map.of("cluster", "eu-1"), 0, 1024, 4));
    SpanMetricsProcessor p = new SpanMetricsProcessor(config("""
        intrinsic_dimensions: {span_kind: false, status_code: false, service: false}
        """), registry);
    p.push(Spans.wire(resource("api", span("GET /orders", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b7", null, NOW,
        1), span("GET /users", SpanKind.SPAN_KIND_SERVER, "00f067aa0ba902b8", null, NOW, 1))), NOW);
    registry.collect(sink);
    // Both names cut to "GET ": one series, counted twice.
    assertThat(sink.at(NOW, "traces_spanmetrics_calls_total")).containsOnly(
        entry("traces_spanmetrics_calls_total{cluster=\"eu-1\", span_name=\"GET \"}", 2.0));
  }
}

package io.sightline.collector.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.TestData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The {@code prometheus} exporter's {@code /metrics}: what a scraper reads, in both formats, and expiration. */
class PrometheusExporterTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);
  private static final long T_MS = 1_700_000_000_123L;

  private final AtomicLong now = new AtomicLong();
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusExporter exporter(String extra) {
    var config = new PrometheusExporterFactory().parseConfig(LOADER.parse("t.yaml",
        "prometheus:\n  endpoint: \"127.0.0.1:0\"\n" + extra).map("prometheus"));
    PrometheusExporter e = new PrometheusExporter("prometheus", config, now::get);
    e.start();
    return e;
  }

  private HttpResponse<String> scrape(PrometheusExporter e, String accept) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + "/metrics"));
    if (accept != null) {
      r.header("Accept", accept);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Metrics batch(long timeMs) {
    long t = timeMs * 1_000_000L;
    Exemplar ex = Exemplar.newBuilder().setAsDouble(0.7).setTimeUnixNano(t)
        .setTraceId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}))
        .build();
    Metric requests = Metric.newBuilder().setName("http.requests").setDescription("Requests served.")
        .setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setAsInt(42).setTimeUnixNano(t)
                .addAttributes(TestData.attr("route", "/a\"b")).addExemplars(ex))).build();
    Metric latency = Metric.newBuilder().setName("http.latency").setUnit("s")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(t).setCount(3).setSum(1.5)
                .addExplicitBounds(1).addBucketCounts(2).addBucketCounts(1).addExemplars(ex))).build();
    Metric temperature = Metric.newBuilder().setName("temperature")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(21.5).setTimeUnixNano(t)))
        .build();
    Resource resource = Resource.newBuilder().addAttributes(TestData.attr("service.name", "api")).build();
    return Metrics.of(List.of(ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(ScopeMetrics
        .newBuilder().addMetrics(requests).addMetrics(latency).addMetrics(temperature)).build()));
  }

  @Test
  void servesTheTextFormatWithConstLabelsAndNamespace() throws Exception {
    PrometheusExporter e = exporter("  namespace: shop\n  const_labels: {region: eu}\n  without_scope_info: true\n");
    try {
      e.consume(batch(T_MS)).join();
      HttpResponse<String> r = scrape(e, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue(PrometheusExporter.TEXT_TYPE);
      assertThat(r.body()).isEqualTo("""
          # HELP shop_http_requests_total Requests served.
          # TYPE shop_http_requests_total counter
          shop_http_requests_total{job="api",region="eu",route="/a\\"b"} 42
          # TYPE shop_http_latency_seconds histogram
          shop_http_latency_seconds_sum{job="api",region="eu"} 1.5
          shop_http_latency_seconds_count{job="api",region="eu"} 3
          shop_http_latency_seconds_bucket{job="api",le="1",region="eu"} 2
          shop_http_latency_seconds_bucket{job="api",le="+Inf",region="eu"} 3
          # TYPE shop_temperature gauge
          shop_temperature{job="api",region="eu"} 21.5
          """);
    } finally {
      e.close();
    }
  }

  @Test
  void openMetricsCarriesExemplarsAndTimestampsWhenAskedFor() throws Exception {
    PrometheusExporter e = exporter("  enable_open_metrics: true\n  send_timestamps: true\n"
        + "  without_scope_info: true\n");
    try {
      e.consume(batch(T_MS)).join();
      HttpResponse<String> r = scrape(e, "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
      assertThat(r.headers().firstValue("Content-Type")).hasValue(PrometheusExporter.OPENMETRICS_TYPE);
      String ex = " # {span_id=\"0000000000000001\",trace_id=\"00000000000000000000000000000002\"} 0.7 1700000000.123";
      assertThat(r.body()).contains("# TYPE http_requests counter\n")
          .contains("http_requests_total{job=\"api\",route=\"/a\\\"b\"} 42 1700000000.123" + ex + "\n")
          .contains("http_latency_seconds_bucket{job=\"api\",le=\"1\"} 2 1700000000.123" + ex + "\n")
          .contains("temperature{job=\"api\"} 21.5 1700000000.123\n")
          .endsWith("# EOF\n");
      // Without the Accept header, the text format, with millisecond timestamps and no exemplars.
      assertThat(scrape(e, null).body()).contains("temperature{job=\"api\"} 21.5 1700000000123\n")
          .doesNotContain("# {");
    } finally {
      e.close();
    }
  }

  @Test
  void aSeriesNotUpdatedForMetricExpirationIsForgotten() throws Exception {
    PrometheusExporter e = exporter("  metric_expiration: 1m\n");
    try {
      e.consume(batch(T_MS)).join();
      now.addAndGet(Duration.ofSeconds(59).toNanos());
      assertThat(scrape(e, null).body()).contains("temperature{");
      // A newer point keeps the series alive; an older one that arrives late does not replace it.
      e.consume(batch(T_MS + 1000)).join();
      now.addAndGet(Duration.ofSeconds(59).toNanos());
      assertThat(scrape(e, null).body()).contains("temperature{");
      now.addAndGet(Duration.ofSeconds(2).toNanos());
      assertThat(scrape(e, null).body()).isEmpty();
    } finally {
      e.close();
    }
  }

  @Test
  void scopeInfoBecomesLabelsByDefault() throws Exception {
    PrometheusExporter e = exporter("");
    try {
      Metrics m = Metrics.of(List.of(batch(T_MS).resourceMetrics().get(0).toBuilder().setScopeMetrics(0,
          batch(T_MS).resourceMetrics().get(0).getScopeMetrics(0).toBuilder()
              .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("lib")
                  .setVersion("1.2"))).build()));
      e.consume(m).join();
      assertThat(scrape(e, null).body())
          .contains("temperature{job=\"api\",otel_scope_name=\"lib\",otel_scope_version=\"1.2\"} 21.5\n");
    } finally {
      e.close();
    }
  }

  @Test
  void configErrors() {
    PrometheusExporterFactory f = new PrometheusExporterFactory();
    assertThatThrownBy(() -> f.parseConfig(LOADER.parse("t.yaml", "prometheus: {}\n").map("prometheus")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("endpoint must be specified");
    assertThatThrownBy(() -> f.parseConfig(LOADER.parse("t.yaml",
        "prometheus: {endpoint: \"0.0.0.0:8889\", tls: {cert_file: x}}\n").map("prometheus")))
        .hasMessageContaining("not supported yet: tls");
    assertThatThrownBy(() -> f.parseConfig(LOADER.parse("t.yaml",
        "prometheus: {endpoint: \"0.0.0.0:8889\", metric_expiration: 0s}\n").map("prometheus")))
        .hasMessageContaining("metric_expiration must be positive");
  }
}

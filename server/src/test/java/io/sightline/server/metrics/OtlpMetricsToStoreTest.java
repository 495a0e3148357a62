package io.sightline.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sightline.core.model.LabelMatcher;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK sends metrics over OTLP/gRPC to a server with its default pipelines; the Prometheus
 * HTTP API then shows them under the names, labels and values Prometheus 3 would give them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpMetricsToStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AttributeKey<String> REGION = AttributeKey.stringKey("region");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final Map<String, String> CHECKOUT = Map.of("job", "shop/checkout", "instance", "checkout-1");

  @TempDir
  static Path dataDir;
  private Sightline server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start("{}", dataDir, new RecordingExporterFactory());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private static Resource resource(String name, String instance) {
    return Resource.create(Attributes.builder().put("service.namespace", "shop").put("service.name", name)
        .put("service.instance.id", instance).put("deployment.environment", "prod").build());
  }

  private SdkMeterProvider meters(Resource resource, AggregationTemporalitySelector temporality) {
    OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.receiverPorts("otlp").get("grpc"))
        .setAggregationTemporalitySelector(temporality).build();
    // Exports only when flushed: the test decides when a collection happens.
    return SdkMeterProvider.builder().setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build()).build();
  }

  @Test
  void everyInstrumentKindArrivesUnderItsPrometheusName() throws Exception {
    String traceId;
    String spanId;
    try (SdkMeterProvider meters = meters(resource("checkout", "checkout-1"),
        AggregationTemporalitySelector.alwaysCumulative());
        SdkTracerProvider tracers = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build()) {
      Meter meter = meters.get("shop.checkout");
      LongCounter time = meter.counterBuilder("checkout.time").setUnit("s").setDescription("Time spent checking out")
          .build();
      time.add(12, Attributes.of(REGION, "eu"));
      time.add(30, Attributes.of(REGION, "us"));
      meter.gaugeBuilder("cpu.utilization").setUnit("1").build().set(0.42);
      var inFlight = meter.upDownCounterBuilder("orders.in_flight").setUnit("{order}").build();
      inFlight.add(7);
      inFlight.add(-2);
      DoubleHistogram latency = meter.histogramBuilder("http.server.request.duration").setUnit("s")
          .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0)).build();
      Span span = tracers.get("shop").spanBuilder("POST /checkout").startSpan();
      traceId = span.getSpanContext().getTraceId();
      spanId = span.getSpanContext().getSpanId();
      try (Scope ignored = span.makeCurrent()) {
        latency.record(0.25, Attributes.of(ROUTE, "/checkout"));
      } finally {
        span.end();
      }
      latency.record(0.05, Attributes.of(ROUTE, "/checkout"));
      latency.record(2.0, Attributes.of(ROUTE, "/checkout"));
      assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    assertThat(series("checkout_time_seconds_total")).containsExactlyInAnyOrder(
        checkout("__name__", "checkout_time_seconds_total", "region", "eu"),
        checkout("__name__", "checkout_time_seconds_total", "region", "us"));
    assertThat(values("checkout_time_seconds_total")).containsExactlyInAnyOrderEntriesOf(Map.of(
        checkout("__name__", "checkout_time_seconds_total", "region", "eu"), "12",
        checkout("__name__", "checkout_time_seconds_total", "region", "us"), "30"));
    assertThat(values("cpu_utilization_ratio"))
        .containsExactlyEntriesOf(Map.of(checkout("__name__", "cpu_utilization_ratio"), "0.42"));
    assertThat(values("orders_in_flight"))
        .containsExactlyEntriesOf(Map.of(checkout("__name__", "orders_in_flight"), "5"));

    String bucket = "http_server_request_duration_seconds_bucket";
    assertThat(values(bucket)).containsExactlyInAnyOrderEntriesOf(Map.of(
        checkout("__name__", bucket, "http_route", "/checkout", "le", "0.1"), "1",
        checkout("__name__", bucket, "http_route", "/checkout", "le", "0.5"), "2",
        checkout("__name__", bucket, "http_route", "/checkout", "le", "1"), "2",
        checkout("__name__", bucket, "http_route", "/checkout", "le", "+Inf"), "3"));
    assertThat(values("http_server_request_duration_seconds_sum")).containsExactlyEntriesOf(Map.of(
        checkout("__name__", "http_server_request_duration_seconds_sum", "http_route", "/checkout"), "2.3"));
    assertThat(values("http_server_request_duration_seconds_count")).containsExactlyEntriesOf(Map.of(
        checkout("__name__", "http_server_request_duration_seconds_count", "http_route", "/checkout"), "3"));

    assertThat(values("target_info{job=\"shop/checkout\"}")).containsExactlyEntriesOf(Map.of(
        checkout("__name__", "target_info", "deployment_environment", "prod"), "1"));
    assertThat(series("{job=\"shop/checkout\", __name__!=\"target_info\"}"))
        .as("resource attributes other than job and instance are on target_info only")
        .allSatisfy(l -> assertThat(l).doesNotContainKeys("deployment_environment", "service_name"));

    JsonNode exemplars = get("/api/v1/query_exemplars", "query", bucket, "start", "0",
        "end", Long.toString(System.currentTimeMillis() / 1000 + 60)).get("data");
    assertThat(exemplars).hasSize(1);
    assertThat(map(exemplars.get(0).get("seriesLabels")))
        .isEqualTo(checkout("__name__", bucket, "http_route", "/checkout", "le", "0.5"));
    JsonNode exemplar = exemplars.get(0).get("exemplars").get(0);
    assertThat(map(exemplar.get("labels"))).isEqualTo(Map.of("trace_id", traceId, "span_id", spanId));
    assertThat(exemplar.get("value").asText()).isEqualTo("0.25");

    JsonNode metadata = get("/api/v1/metadata").get("data");
    assertThat(metadata.get("checkout_time_seconds_total").get(0).get("type").asText()).isEqualTo("counter");
    assertThat(metadata.get("checkout_time_seconds_total").get(0).get("help").asText())
        .isEqualTo("Time spent checking out");
    assertThat(metadata.get("checkout_time_seconds_total").get(0).get("unit").asText()).isEqualTo("seconds");
    assertThat(metadata.get("cpu_utilization_ratio").get(0).get("type").asText()).isEqualTo("gauge");
    assertThat(metadata.get("orders_in_flight").get(0).get("type").asText()).isEqualTo("gauge");
    assertThat(metadata.get("http_server_request_duration_seconds").get(0).get("type").asText()).isEqualTo("histogram");
    assertThat(metadata.get("target_info").get(0).get("type").asText()).isEqualTo("gauge");
  }

  @Test
  void deltaTemporalityIsStoredAsRunningTotals() throws Exception {
    Resource resource = resource("payment", "payment-1");
    try (SdkMeterProvider meters = meters(resource, AggregationTemporalitySelector.deltaPreferred())) {
      Meter meter = meters.get("shop.payment");
      LongCounter payments = meter.counterBuilder("payments").build();
      DoubleHistogram amount = meter.histogramBuilder("payment.amount")
          .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0)).build();
      payments.add(3);
      amount.record(5);
      assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      Thread.sleep(20); // the next collection lands on a later millisecond
      payments.add(4);
      amount.record(50);
      amount.record(500);
      assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    Map<String, String> job = Map.of("job", "shop/payment", "instance", "payment-1");
    assertThat(values("payments_total")).containsExactlyEntriesOf(Map.of(labels(job, "__name__", "payments_total"),
        "7"));
    assertThat(values("payment_amount_count")).containsExactlyEntriesOf(Map.of(labels(job, "__name__",
        "payment_amount_count"), "3"));
    assertThat(values("payment_amount_sum")).containsExactlyEntriesOf(Map.of(labels(job, "__name__",
        "payment_amount_sum"), "555"));
    assertThat(values("payment_amount_bucket")).containsExactlyInAnyOrderEntriesOf(Map.of(
        labels(job, "__name__", "payment_amount_bucket", "le", "10"), "1",
        labels(job, "__name__", "payment_amount_bucket", "le", "100"), "2",
        labels(job, "__name__", "payment_amount_bucket", "le", "+Inf"), "3"));
    // The query API has no range selectors yet: the raw samples are read from the store.
    List<Series> stored = server.metricStore().querier().select(List.of(LabelMatcher.equal("__name__",
        "payments_total")), Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(stored).hasSize(1);
    List<Double> samples = new ArrayList<>();
    SampleIterator it = stored.getFirst().iterator(Long.MIN_VALUE, Long.MAX_VALUE);
    while (it.next()) {
      samples.add(it.value());
    }
    assertThat(samples).as("each export adds to the total").containsExactly(3.0, 7.0);
    assertThat(get("/api/v1/metadata", "metric", "payments_total").get("data").get("payments_total").get(0)
        .get("type").asText()).isEqualTo("counter");
  }

  /** The label sets {@code /api/v1/series} gives for {@code selector}. */
  private List<Map<String, String>> series(String selector) throws Exception {
    List<Map<String, String>> out = new ArrayList<>();
    get("/api/v1/series", "match[]", selector, "start", "0").get("data").forEach(s -> out.add(map(s)));
    return out;
  }

  /** An instant query's result: labels → value as the API prints it. */
  private Map<Map<String, String>, String> values(String query) throws Exception {
    Map<Map<String, String>, String> out = new HashMap<>();
    get("/api/v1/query", "query", query).get("data").get("result")
        .forEach(r -> out.put(map(r.get("metric")), r.get("value").get(1).asText()));
    return out;
  }

  /** A label set of the checkout service: its job and instance, plus {@code namesAndValues}. */
  private static Map<String, String> checkout(String... namesAndValues) {
    return labels(CHECKOUT, namesAndValues);
  }

  private static Map<String, String> labels(Map<String, String> base, String... namesAndValues) {
    Map<String, String> m = new TreeMap<>(base);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> m = new TreeMap<>();
    object.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private JsonNode get(String path, String... params) throws Exception {
    return TestServers.getJson(http, server.httpPort(), path, params);
  }
}

package io.sightline.collector.translate.prometheus;

import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
import static io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
import static io.sightline.collector.translate.prometheus.Otlp.BASE_MS;
import static io.sightline.collector.translate.prometheus.Otlp.SPAN_ID;
import static io.sightline.collector.translate.prometheus.Otlp.TRACE_ID;
import static io.sightline.collector.translate.prometheus.Otlp.at;
import static io.sightline.collector.translate.prometheus.Otlp.batch;
import static io.sightline.collector.translate.prometheus.Otlp.counter;
import static io.sightline.collector.translate.prometheus.Otlp.delta;
import static io.sightline.collector.translate.prometheus.Otlp.exemplar;
import static io.sightline.collector.translate.prometheus.Otlp.gauge;
import static io.sightline.collector.translate.prometheus.Otlp.histogram;
import static io.sightline.collector.translate.prometheus.Otlp.histogramPoint;
import static io.sightline.collector.translate.prometheus.Otlp.kv;
import static io.sightline.collector.translate.prometheus.Otlp.point;
import static io.sightline.collector.translate.prometheus.Otlp.resource;
import static io.sightline.collector.translate.prometheus.Otlp.shopCart;
import static io.sightline.collector.translate.prometheus.Otlp.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule of COMPAT.md §8, through the whole translator, with the exact series Prometheus would store. */
class OtlpMetricsTranslatorTest {
  private static final String JOB = "instance=\"cart-1\", job=\"shop/cart\"";
  private static final int NO_RECORDED_VALUE = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;

  private static RecordingSink translate(List<ResourceMetrics> batch) {
    return translate(TranslatorConfig.DEFAULT, batch);
  }

  private static RecordingSink translate(TranslatorConfig config, List<ResourceMetrics> batch) {
    RecordingSink sink = new RecordingSink();
    new OtlpMetricsTranslator(config).translate(batch, sink);
    return sink;
  }

  /** The config with {@code entries}, YAML flow-map entries such as {@code "namespace: shop"}. */
  private static TranslatorConfig config(String entries) {
    return TranslatorConfig.parse(new YamlConfigLoader(k -> null).parse("t.yaml", "c: {" + entries + "}").map("c"));
  }

  @Test
  void theExamplesOfCompatSection8() {
    RecordingSink sink = translate(batch(shopCart(),
        histogram("http.server.request.duration", "s", AGGREGATION_TEMPORALITY_CUMULATIVE,
            histogramPoint(10, List.of(0.005, 0.1, 1.0), List.of(1L, 2L, 0L, 1L), 2.5)
                .addAttributes(kv("http.route", "/orders")).build()),
        sum("http.server.active_requests", "{request}", false, AGGREGATION_TEMPORALITY_CUMULATIVE, point(10, 3)),
        gauge("system.cpu.utilization", "1", point(10, 0.25)),
        counter("requests.count", "1", point(10, 42))));

    String route = "http_route=\"/orders\", " + JOB;
    assertThat(sink.values()).containsExactly(
        entry("http_server_request_duration_seconds_sum{" + route + "}", 2.5),
        entry("http_server_request_duration_seconds_count{" + route + "}", 4.0),
        entry("http_server_request_duration_seconds_bucket{" + route + ", le=\"0.005\"}", 1.0),
        entry("http_server_request_duration_seconds_bucket{" + route + ", le=\"0.1\"}", 3.0),
        entry("http_server_request_duration_seconds_bucket{" + route + ", le=\"1\"}", 3.0),
        entry("http_server_request_duration_seconds_bucket{" + route + ", le=\"+Inf\"}", 4.0),
        entry("http_server_active_requests{" + JOB + "}", 3.0),
        entry("system_cpu_utilization_ratio{" + JOB + "}", 0.25),
        entry("requests_count_total{" + JOB + "}", 42.0),
        entry("target_info{host_name=\"node-7\", " + JOB + "}", 1.0));
    assertThat(sink.metadata).containsExactly(
        entry("http_server_request_duration_seconds",
            new RecordingSink.Metadata("histogram", "http.server.request.duration help", "seconds")),
        entry("http_server_active_requests",
            new RecordingSink.Metadata("gauge", "http.server.active_requests help", "")),
        entry("system_cpu_utilization_ratio", new RecordingSink.Metadata("gauge", "system.cpu.utilization help", "")),
        entry("requests_count_total", new RecordingSink.Metadata("counter", "requests.count help", "")),
        entry("target_info", new RecordingSink.Metadata("gauge", "Target metadata", "")));
    assertThat(sink.samples).allSatisfy(s -> assertThat(s.timestampMs()).isEqualTo(BASE_MS + 10_000));
    assertThat(sink.drops).isEmpty();
  }

  @Test
  void metadataComesBeforeTheFirstSampleOfItsFamily() {
    RecordingSink sink = translate(batch(resource(kv("service.name", "cart")), gauge("a", "", point(1, 1), point(2, 2)),
        counter("b", "", point(1, 1))));
    assertThat(sink.calls).containsExactly("metadata a", "sample a", "sample a", "metadata b_total", "sample b_total");
  }

  @Test
  void timestampsAreMillisecondsTruncated() {
    RecordingSink sink = translate(batch(resource(), gauge("g", "", point(0.0019999, 1))));
    assertThat(sink.samples.getFirst().timestampMs()).isEqualTo(BASE_MS + 1);
  }

  @Test
  void jobIsNamespaceSlashNameAndInstanceTheInstanceId() {
    assertThat(translate(batch(resource(kv("service.name", "cart")), gauge("g", "", point(1, 1)))).series("g"))
        .containsExactly("g{job=\"cart\"}");
    assertThat(translate(batch(resource(kv("service.namespace", "shop"), kv("service.name", "cart"),
        kv("service.instance.id", "i-1")), gauge("g", "", point(1, 1)))).series("g"))
        .containsExactly("g{instance=\"i-1\", job=\"shop/cart\"}");
    assertThat(translate(batch(resource(kv("service.namespace", "shop")), gauge("g", "", point(1, 1)))).series("g"))
        .as("a namespace without a name makes no job").containsExactly("g{}");
    assertThat(translate(batch(resource(kv("service.name", "cart")), gauge("g", "", point(1, 1, kv("job", "x"),
        kv("instance", "y"))))).series("g"))
        .as("the resource's job replaces a job attribute; an instance attribute stays when there is no instance id")
        .containsExactly("g{instance=\"y\", job=\"cart\"}");
  }

  @Test
  void targetInfoCarriesTheOtherResourceAttributes() {
    RecordingSink sink = translate(batch(resource(kv("service.namespace", "shop"), kv("service.name", "cart"),
        kv("service.instance.id", "cart-1"), kv("k8s.cluster.name", "eu-1"), kv("host.cpus", 8)),
        gauge("g", "", point(1, 1))));
    assertThat(sink.series("target_info"))
        .containsExactly("target_info{host_cpus=\"8\", " + JOB + ", k8s_cluster_name=\"eu-1\"}");
    assertThat(sink.series("g")).containsExactly("g{" + JOB + "}");
  }

  @Test
  void targetInfoNeedsANonIdentifyingAttributeAndAJobOrInstance() {
    assertThat(translate(batch(resource(kv("service.name", "cart"), kv("service.instance.id", "i")),
        gauge("g", "", point(1, 1)))).series("target_info")).isEmpty();
    assertThat(translate(batch(resource(kv("host.name", "h")), gauge("g", "", point(1, 1)))).series("target_info"))
        .isEmpty();
    assertThat(translate(batch(resource(kv("service.instance.id", "i"), kv("host.name", "h")),
        gauge("g", "", point(1, 1)))).series("target_info"))
        .containsExactly("target_info{host_name=\"h\", instance=\"i\"}");
    assertThat(translate(batch(shopCart())).series("target_info")).as("no points, no target_info").isEmpty();
  }

  @Test
  void targetInfoKeepsIdentifyingAttributesWhenAskedAndCanBeTurnedOff() {
    RecordingSink kept = translate(config("keep_identifying_resource_attributes: true"),
        batch(shopCart(), gauge("g", "", point(1, 1))));
    assertThat(kept.series("target_info")).containsExactly("target_info{host_name=\"node-7\", " + JOB
        + ", service_instance_id=\"cart-1\", service_name=\"cart\", service_namespace=\"shop\"}");
    RecordingSink off = translate(config("target_info: {enabled: false}"), batch(shopCart(), gauge("g", "",
        point(1, 1))));
    assertThat(off.series("target_info")).isEmpty();
    assertThat(off.metadata).doesNotContainKey("target_info");
    RecordingSink namespaced = translate(config("namespace: shop"), batch(shopCart(), gauge("g", "",
        point(1, 1))));
    assertThat(namespaced.series("shop_target_info")).hasSize(1);
    assertThat(namespaced.series("shop_g")).hasSize(1);
  }

  @Test
  void targetInfoSpansTheResourcesPointsEveryTwoAndAHalfMinutes() {
    RecordingSink sink = translate(batch(shopCart(), gauge("g", "", point(0, 1), point(360, 2))));
    assertThat(sink.samplesOf("target_info")).extracting(RecordingSink.Sample::timestampMs)
        .containsExactly(BASE_MS, BASE_MS + 150_000, BASE_MS + 300_000, BASE_MS + 360_000);
    assertThat(sink.samplesOf("target_info")).allSatisfy(s -> assertThat(s.value()).isEqualTo(1));
  }

  @Test
  void twoResourcesWithTheSameTargetInfoWriteEachOfItsSamplesOnce() {
    List<ResourceMetrics> twice = List.of(batch(shopCart(), gauge("a", "", point(1, 1))).getFirst(),
        batch(shopCart(), gauge("b", "", point(1, 1))).getFirst());
    assertThat(translate(twice).samplesOf("target_info")).hasSize(1);
  }

  @Test
  void promotedResourceAttributesGoOnEverySeriesButNeverReplaceAPointAttribute() {
    RecordingSink sink = translate(config("promote_resource_attributes: [k8s.cluster.name, host.name]"),
        batch(resource(kv("service.name", "cart"), kv("k8s.cluster.name", "eu-1"), kv("host.name", "node-7"),
            kv("os.type", "linux")), gauge("g", "", point(1, 1, kv("host.name", "from-point")))));
    assertThat(sink.series("g"))
        .containsExactly("g{host_name=\"from-point\", job=\"cart\", k8s_cluster_name=\"eu-1\"}");
    assertThat(sink.series("target_info"))
        .containsExactly(
            "target_info{host_name=\"node-7\", job=\"cart\", k8s_cluster_name=\"eu-1\", os_type=\"linux\"}");
  }

  @Test
  void resourceToTelemetryConversionPromotesEveryAttribute() {
    RecordingSink sink = translate(config("resource_to_telemetry_conversion: {enabled: true}"),
        batch(shopCart(), gauge("g", "", point(1, 1))));
    assertThat(sink.series("g")).containsExactly("g{host_name=\"node-7\", " + JOB
        + ", service_instance_id=\"cart-1\", service_name=\"cart\", service_namespace=\"shop\"}");
    RecordingSink ignoring = translate(config("promote_all_resource_attributes: true, "
        + "ignore_resource_attributes: [host.name, service.namespace]"),
        batch(shopCart(), gauge("g", "", point(1, 1))));
    assertThat(ignoring.series("g"))
        .containsExactly("g{" + JOB + ", service_instance_id=\"cart-1\", service_name=\"cart\"}");
  }

  @Test
  void scopeLabelsOnlyWhenPromoted() {
    ScopeMetrics scoped = ScopeMetrics.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
        .setScope(InstrumentationScope.newBuilder().setName("shop.lib").setVersion("1.2.0")
            .addAttributes(kv("lib.tier", "gold")))
        .addMetrics(gauge("g", "", point(1, 1))).build();
    List<ResourceMetrics> batch = List.of(Otlp.resourceMetrics(resource(kv("service.name", "cart")), scoped));
    assertThat(translate(batch).series("g")).as("off by default, as in Prometheus 3")
        .containsExactly("g{job=\"cart\"}");
    RecordingSink sink = translate(config("promote_scope_metadata: true"), batch);
    assertThat(sink.series("g")).containsExactly("g{job=\"cart\", otel_scope_lib_tier=\"gold\","
        + " otel_scope_name=\"shop.lib\","
        + " otel_scope_schema_url=\"https://opentelemetry.io/schemas/1.26.0\", otel_scope_version=\"1.2.0\"}");
    assertThat(sink.series("target_info")).isEmpty();

    ScopeMetrics nameless = scoped.toBuilder().setScope(InstrumentationScope.newBuilder().setVersion("1")).build();
    assertThat(translate(config("promote_scope_metadata: true"),
        List.of(Otlp.resourceMetrics(resource(kv("service.name", "cart")), nameless))).series("g"))
        .as("a scope without a name adds nothing").containsExactly("g{job=\"cart\"}");
  }

  @Test
  void attributesThatCollideAfterSanitizingAreJoinedWithSemicolons() {
    RecordingSink sink = translate(batch(resource(), gauge("g", "", point(1, 1, kv("a_b", "2"), kv("a.b", "1"),
        kv("a-b", "3"), kv("empty", ""), kv("__name__", "ignored"), kv("2xx", "yes"), kv("_tmp", "t")))));
    // Sorted by key before joining: "a-b" < "a.b" < "a_b". An empty value makes no label, __name__ is never taken,
    // a leading digit gets key_ and, by Prometheus 3's default, so does a single leading underscore.
    assertThat(sink.series("g")).containsExactly("g{a_b=\"3;1;2\", key_2xx=\"yes\", key_tmp=\"t\"}");
  }

  @Test
  void histogramExemplarsGoToTheBucketThatHoldsTheirValue() {
    RecordingSink sink = translate(batch(shopCart(), histogram("latency", "ms", AGGREGATION_TEMPORALITY_CUMULATIVE,
        histogramPoint(10, List.of(10.0, 100.0), List.of(1L, 1L, 1L), 520)
            .addExemplars(exemplar(9, 500)).addExemplars(exemplar(8, 5)).addExemplars(exemplar(7, 10))
            .addExemplars(exemplar(6, 50)).build())));
    assertThat(sink.exemplars).extracting(e -> e.series().get("le"), e -> e.exemplar().value())
        .containsExactly(tuple("10", 10.0), tuple("10", 5.0),
            tuple("100", 50.0), tuple("+Inf", 500.0));
    Exemplar first = sink.exemplars.getFirst().exemplar();
    assertThat(first.labels()).isEqualTo(Labels.of("trace_id", TRACE_ID, "span_id", SPAN_ID));
    assertThat(first.timestampMs()).isEqualTo(BASE_MS + 7_000);
    assertThat(sink.exemplars)
        .allSatisfy(e -> assertThat(e.series().metricName()).isEqualTo("latency_milliseconds_bucket"));
    assertThat(sink.calls)
        .containsSubsequence("sample latency_milliseconds_bucket", "exemplar latency_milliseconds_bucket");
  }

  @Test
  void aHistogramWithoutSumHasNoSumSeries() {
    RecordingSink sink = translate(batch(resource(), histogram("h", "", AGGREGATION_TEMPORALITY_CUMULATIVE,
        histogramPoint(1, List.of(1.0), List.of(2L, 3L), 0).clearSum().build())));
    assertThat(sink.values()).containsExactly(entry("h_count{}", 5.0), entry("h_bucket{le=\"1\"}", 2.0),
        entry("h_bucket{le=\"+Inf\"}", 5.0));
  }

  @Test
  void summariesHaveAQuantileLabel() {
    Metric summary = Metric.newBuilder().setName("rpc.duration").setUnit("ms").setSummary(Summary.newBuilder()
        .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(at(1)).setCount(10).setSum(123.5)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(11))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(40))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(1).setValue(41)))).build();
    RecordingSink sink = translate(batch(resource(), summary));
    assertThat(sink.values()).containsExactly(entry("rpc_duration_milliseconds_sum{}", 123.5),
        entry("rpc_duration_milliseconds_count{}", 10.0),
        entry("rpc_duration_milliseconds{quantile=\"0.5\"}", 11.0),
        entry("rpc_duration_milliseconds{quantile=\"0.99\"}", 40.0),
        entry("rpc_duration_milliseconds{quantile=\"1\"}", 41.0));
    assertThat(sink.metadata.get("rpc_duration_milliseconds").type()).isEqualTo("summary");
  }

  @Test
  void noRecordedValueWritesTheStaleMarkerToEverySeries() {
    Metric summary = Metric.newBuilder().setName("s").setSummary(Summary.newBuilder().addDataPoints(
        SummaryDataPoint.newBuilder().setTimeUnixNano(at(1)).setFlags(NO_RECORDED_VALUE).addQuantileValues(
            SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5)))).build();
    RecordingSink sink = translate(batch(resource(),
        gauge("g", "", point(1, 5).toBuilder().setFlags(NO_RECORDED_VALUE).build()),
        counter("c", "", point(1, 5).toBuilder().setFlags(NO_RECORDED_VALUE).build()),
        histogram("h", "", AGGREGATION_TEMPORALITY_CUMULATIVE, histogramPoint(1, List.of(1.0), List.of(1L, 1L), 3)
            .setFlags(NO_RECORDED_VALUE).build()),
        summary));
    assertThat(sink.samples).hasSize(1 + 1 + 4 + 3);
    assertThat(sink.samples).allSatisfy(s -> assertThat(Double.doubleToRawLongBits(s.value()))
        .as(s.labels().toString()).isEqualTo(0x7ff0000000000002L));
  }

  @Test
  void sumExemplarsGoOnTheSeriesAndGaugesHaveNone() {
    var withAttributes = exemplar(1, 3).toBuilder().addFilteredAttributes(kv("user.id", "u-42")).build();
    var tooLong = exemplar(2, 4).toBuilder().addFilteredAttributes(kv("note", "x".repeat(70))).build();
    var zeroTrace = exemplar(3, 5).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).clearSpanId().build();
    RecordingSink sink = translate(batch(resource(),
        counter("c", "", point(5, 9).toBuilder().addExemplars(withAttributes).addExemplars(tooLong)
            .addExemplars(zeroTrace).build()),
        gauge("g", "", point(5, 1).toBuilder().addExemplars(exemplar(1, 1)).build())));
    assertThat(sink.exemplars).extracting(e -> e.series().toString(), e -> e.exemplar().labels())
        .containsExactly(
            tuple("c_total{}",
                Labels.of("trace_id", TRACE_ID, "span_id", SPAN_ID, "user.id", "u-42")),
            tuple("c_total{}", Labels.of("trace_id", TRACE_ID, "span_id", SPAN_ID)),
            tuple("c_total{}", Labels.EMPTY));
    assertThat(sink.exemplars.getFirst().exemplar().value()).isEqualTo(3);
  }

  @Test
  void anExemplarWithoutAValueDropsItsPoint() {
    var valueless = exemplar(1, 0).toBuilder().clearValue().build();
    RecordingSink sink = translate(batch(resource(), counter("c", "", point(5, 1).toBuilder()
        .addExemplars(valueless).build(), point(6, 2))));
    assertThat(sink.samplesOf("c_total")).extracting(RecordingSink.Sample::value).containsExactly(2.0);
    assertThat(sink.drops).extracting(RecordingSink.Drop::reason).containsExactly(DropReason.INVALID_EXEMPLAR);
  }

  @Test
  void strategiesShapeNamesAndLabels() {
    List<ResourceMetrics> batch = batch(resource(kv("service.name", "cart")), histogram("http.server.duration", "s",
        AGGREGATION_TEMPORALITY_CUMULATIVE, histogramPoint(1, List.of(), List.of(1L), 1)
            .addAttributes(kv("http.route", "/a")).build()), counter("requests", "", point(1, 1)));
    assertThat(translate(config("translation_strategy: NoUTF8EscapingWithSuffixes"), batch).values().keySet())
        .contains("http.server.duration_seconds_count{http.route=\"/a\", job=\"cart\"}",
            "requests_total{job=\"cart\"}");
    assertThat(translate(config("translation_strategy: NoTranslation"), batch).values().keySet())
        .contains("http.server.duration_count{http.route=\"/a\", job=\"cart\"}", "requests{job=\"cart\"}");
    assertThat(translate(config("translation_strategy: UnderscoreEscapingWithoutSuffixes"), batch).values()
        .keySet()).contains("http_server_duration_count{http_route=\"/a\", job=\"cart\"}", "requests{job=\"cart\"}");
    assertThat(translate(config("namespace: shop"), batch).values().keySet())
        .contains("shop_http_server_duration_seconds_count{http_route=\"/a\", job=\"cart\"}",
            "shop_requests_total{job=\"cart\"}");
  }

  @Test
  void utf8StrategiesDoNotJoinAttributesThatWouldCollideWhenEscaped() {
    RecordingSink sink = translate(config("translation_strategy: NoTranslation"),
        batch(resource(), gauge("g", "", point(1, 1, kv("a.b", "1"), kv("a_b", "2")))));
    assertThat(sink.series("g")).containsExactly("g{a.b=\"1\", a_b=\"2\"}");
  }

  @Test
  void deltaSumsBecomeRunningTotals() {
    OtlpMetricsTranslator translator = new OtlpMetricsTranslator(TranslatorConfig.DEFAULT);
    RecordingSink sink = new RecordingSink();
    translator.translate(batch(shopCart(), sum("orders", "", true, AGGREGATION_TEMPORALITY_DELTA,
        delta(0, 10, 3, kv("region", "eu")), delta(0, 10, 5, kv("region", "us")))), sink);
    translator.translate(batch(shopCart(), sum("orders", "", true, AGGREGATION_TEMPORALITY_DELTA,
        delta(10, 20, 2, kv("region", "eu")))), sink);
    translator.translate(batch(shopCart(), sum("orders", "", true, AGGREGATION_TEMPORALITY_DELTA,
        delta(20, 30, 4, kv("region", "eu")), delta(10, 20, 2, kv("region", "eu")))), sink);
    assertThat(sink.samplesOf("orders_total")).extracting(s -> s.labels().get("region"), RecordingSink.Sample::value)
        .containsExactly(tuple("eu", 3.0), tuple("us", 5.0),
            tuple("eu", 5.0), tuple("eu", 9.0));
    assertThat(sink.drops).containsExactly(new RecordingSink.Drop(DropReason.DELTA_OUT_OF_ORDER, "orders", 1));
    assertThat(sink.metadata.get("orders_total").type()).isEqualTo("counter");
    assertThat(translator.deltaStreams()).isEqualTo(2);
  }

  @Test
  void aStaleDeltaPointEndsItsStream() {
    OtlpMetricsTranslator translator = new OtlpMetricsTranslator(TranslatorConfig.DEFAULT);
    RecordingSink sink = new RecordingSink();
    translator.translate(batch(resource(), sum("c", "", true, AGGREGATION_TEMPORALITY_DELTA, delta(0, 10, 3),
        delta(10, 20, 0).toBuilder().setFlags(NO_RECORDED_VALUE).build(), delta(20, 30, 1))), sink);
    assertThat(sink.samplesOf("c_total")).extracting(RecordingSink.Sample::value).satisfiesExactly(
        v -> assertThat(v).isEqualTo(3), v -> assertThat(Double.doubleToRawLongBits(v)).isEqualTo(0x7ff0000000000002L),
        v -> assertThat(v).isEqualTo(1));
    assertThat(translator.deltaStreams()).isEqualTo(1);
  }

  @Test
  void deltaHistogramsAccumulateEveryBucket() {
    OtlpMetricsTranslator translator = new OtlpMetricsTranslator(TranslatorConfig.DEFAULT);
    RecordingSink sink = new RecordingSink();
    translator.translate(batch(resource(), histogram("h", "", AGGREGATION_TEMPORALITY_DELTA,
        histogramPoint(10, List.of(1.0), List.of(1L, 0L), 0.5).setStartTimeUnixNano(at(0)).build(),
        histogramPoint(20, List.of(1.0), List.of(2L, 3L), 9).setStartTimeUnixNano(at(10)).build())), sink);
    assertThat(sink.values()).containsExactly(entry("h_sum{}", 9.5), entry("h_count{}", 6.0),
        entry("h_bucket{le=\"1\"}", 3.0), entry("h_bucket{le=\"+Inf\"}", 6.0));
    assertThat(sink.metadata.get("h").type()).isEqualTo("histogram");
  }

  @Test
  void aNaNDeltaIsDroppedRatherThanSpoilingTheTotal() {
    RecordingSink sink = translate(batch(resource(), sum("c", "", true, AGGREGATION_TEMPORALITY_DELTA,
        delta(0, 10, Double.NaN), delta(10, 20, 1))));
    assertThat(sink.samplesOf("c_total")).extracting(RecordingSink.Sample::value).containsExactly(1.0);
    assertThat(sink.drops).extracting(RecordingSink.Drop::reason).containsExactly(DropReason.DELTA_NOT_A_NUMBER);
  }

  @Test
  void exponentialHistogramsBecomeNativeHistograms() {
    Metric exp = Metric.newBuilder().setName("rpc.latency").setUnit("s").setExponentialHistogram(ExponentialHistogram
        .newBuilder().setAggregationTemporality(AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(
            ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(at(1)).setScale(0).setCount(10).setSum(4)
                .setZeroCount(0).addAttributes(kv("rpc.method", "Get")).addExemplars(exemplar(1, 0.5))
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0)
                    .addAllBucketCounts(List.of(4L, 3L, 2L, 1L))))).build();
    RecordingSink sink = translate(batch(resource(kv("service.name", "rpc")), exp));
    assertThat(sink.nativeHistograms).singleElement().satisfies(n -> {
      assertThat(n.labels().toString()).isEqualTo("rpc_latency_seconds{job=\"rpc\", rpc_method=\"Get\"}");
      assertThat(n.timestampMs()).isEqualTo(BASE_MS + 1000);
      assertThat(n.histogram().schema()).isZero();
      assertThat(n.histogram().positiveSpans()).containsExactly(new Histogram.Span(1, 4));
      assertThat(n.histogram().positiveCount(0)).isEqualTo(4);
      assertThat(n.histogram().positiveCount(3)).isEqualTo(1);
      assertThat(n.histogram().count()).isEqualTo(10);
      assertThat(n.histogram().sum()).isEqualTo(4);
      assertThat(n.exemplars()).extracting(Exemplar::value).containsExactly(0.5);
    });
    assertThat(sink.metadata.get("rpc_latency_seconds"))
        .isEqualTo(new RecordingSink.Metadata("histogram", "", "seconds"));
    assertThat(sink.samples).as("no float samples, and no target_info without other attributes").isEmpty();

    Metric delta = exp.toBuilder().setExponentialHistogram(exp.getExponentialHistogram().toBuilder()
        .setAggregationTemporality(AGGREGATION_TEMPORALITY_DELTA)).build();
    RecordingSink deltaSink = translate(batch(resource(), delta));
    assertThat(deltaSink.nativeHistograms.getFirst().histogram().resetHint())
        .isEqualTo(Histogram.ResetHint.GAUGE);
    assertThat(deltaSink.metadata.get("rpc_latency_seconds").type()).isEqualTo("unknown");
  }

  @Test
  void invalidInputIsDroppedPointByPointAndNeverThrows() {
    Metric badScale = Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
        .setAggregationTemporality(AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(at(1)).setScale(-5))
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(at(1)).setScale(3))).build();
    RecordingSink sink = translate(batch(resource(),
        gauge("", "", point(1, 1), point(2, 2)),
        gauge("@#$", "", point(1, 1)),
        sum("unspecified", "", true, AGGREGATION_TEMPORALITY_UNSPECIFIED, point(1, 1)),
        gauge("bad.label", "", point(1, 1, kv("", "x")), point(2, 2, kv("__", "y")), point(3, 3, kv("ok", "z"))),
        badScale,
        Metric.newBuilder().setName("no.data").build(),
        gauge("fine", "", point(1, 1))));
    assertThat(sink.drops).extracting(RecordingSink.Drop::reason, RecordingSink.Drop::points).containsExactly(
        tuple(DropReason.INVALID_METRIC_NAME, 2),
        tuple(DropReason.INVALID_METRIC_NAME, 1),
        tuple(DropReason.INVALID_TEMPORALITY, 1),
        tuple(DropReason.INVALID_LABEL_NAME, 1),
        tuple(DropReason.INVALID_LABEL_NAME, 1),
        tuple(DropReason.INVALID_EXPONENTIAL_HISTOGRAM, 1));
    assertThat(sink.drops.get(2).detail()).isEqualTo("invalid temporality and type combination for metric"
        + " \"unspecified\"");
    assertThat(sink.series("bad_label")).containsExactly("bad_label{ok=\"z\"}");
    assertThat(sink.series("fine")).containsExactly("fine{}");
    assertThat(sink.nativeHistograms).hasSize(1);
  }

  @Test
  void aResourceWhosePromotedAttributeCannotBeALabelIsDroppedWhole() {
    RecordingSink sink = translate(config("resource_to_telemetry_conversion: {enabled: true}"),
        List.of(batch(resource(kv("", "x")), gauge("g", "", point(1, 1), point(2, 2))).getFirst(),
            batch(resource(kv("service.name", "ok")), gauge("g", "", point(1, 1))).getFirst()));
    assertThat(sink.drops).extracting(RecordingSink.Drop::reason, RecordingSink.Drop::points)
        .containsExactly(tuple(DropReason.INVALID_LABEL_NAME, 2));
    assertThat(sink.series("g")).containsExactly("g{job=\"ok\", service_name=\"ok\"}");
  }

  @Test
  void integerAndUnsignedValues() {
    var p = point(1, 0).toBuilder().setAsInt(-7).build();
    RecordingSink sink = translate(batch(resource(), gauge("g", "", p), histogram("h", "",
        AGGREGATION_TEMPORALITY_CUMULATIVE, histogramPoint(1, List.of(), List.of(-1L), 0).setCount(-1L).build())));
    assertThat(sink.values()).contains(entry("g{}", -7.0), entry("h_count{}", 18446744073709551615.0));
  }
}

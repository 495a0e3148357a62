package io.sightline.collector.generator.servicegraph;

import static io.sightline.collector.generator.Spans.attr;
import static io.sightline.collector.generator.Spans.error;
import static io.sightline.collector.generator.Spans.resource;
import static io.sightline.collector.generator.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.generator.RecordingSink;
import io.sightline.collector.generator.Spans;
import io.sightline.collector.generator.registry.Registry;
import io.sightline.collector.generator.registry.RegistryConfig;
import io.sightline.core.model.Labels;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Tempo's pairing of client and server halves, database edges, virtual nodes, expiry and limits. */
class ServiceGraphProcessorTest {
  private static final long NOW = 1_700_000_010_000L;
  private static final String EDGE = "client=\"order-service\", server=\"payment-service\"";

  /** The edge's labels with {@code le}, in label order. */
  private static String bucket(String le) {
    return "client=\"order-service\", le=\"" + le + "\", server=\"payment-service\"";
  }

  private final RecordingSink sink = new RecordingSink();
  private long clock = NOW;
  private final Registry registry = new Registry(RegistryConfig.DEFAULTS, Registry.DEFAULT_TRACE_ID_LABEL,
      () -> clock);

  private ServiceGraphProcessor processor(String yaml) {
    return new ServiceGraphProcessor(ServiceGraphConfig.parse(new YamlConfigLoader(k -> null).parse("test.yaml",
        yaml), true, true, false), registry);
  }

  private Map<String, Double> collected(String prefix) {
    sink.clear();
    registry.collect(sink);
    return sink.at(clock, prefix);
  }

  @Test
  void clientAndServerHalvesPairIntoOneRequestWhicheverComesFirst() {
    ServiceGraphProcessor p = processor("{}");
    // The server's half arrives first, from the other service's exporter.
    p.push(Spans.wire(resource("payment-service", error(span("charge", SpanKind.SPAN_KIND_SERVER, "00000000000000b1",
        "00000000000000a1", NOW - 1000, 150), "card declined"))), NOW);
    assertThat(p.waiting()).isEqualTo(1);
    p.push(Spans.wire(resource("order-service", span("POST /pay", SpanKind.SPAN_KIND_CLIENT, "00000000000000a1",
        "00000000000000a0", NOW - 1010, 200))), NOW);
    assertThat(p.waiting()).isZero();

    Map<String, Double> series = collected("traces_service_graph_request_");
    assertThat(series).contains(
        entry("traces_service_graph_request_total{" + EDGE + "}", 1.0),
        entry("traces_service_graph_request_failed_total{" + EDGE + "}", 1.0),
        entry("traces_service_graph_request_server_seconds_bucket{" + bucket("0.1") + "}", 0.0),
        entry("traces_service_graph_request_server_seconds_bucket{" + bucket("0.2") + "}", 1.0),
        entry("traces_service_graph_request_client_seconds_bucket{" + bucket("0.2") + "}", 1.0),
        entry("traces_service_graph_request_client_seconds_bucket{" + bucket("12.8") + "}", 1.0),
        entry("traces_service_graph_request_client_seconds_bucket{" + bucket("+Inf") + "}", 1.0),
        entry("traces_service_graph_request_server_seconds_sum{" + EDGE + "}", 0.15),
        entry("traces_service_graph_request_client_seconds_count{" + EDGE + "}", 1.0));
    // 2 counters + 2 histograms of 8 buckets, +Inf, _sum and _count.
    assertThat(series).hasSize(2 + 2 * 11);
    assertThat(sink.exemplars).extracting(e -> e.series().toString(), RecordingSink.Exemplar::labels,
        RecordingSink.Exemplar::value).containsExactlyInAnyOrder(
            Tuple.tuple("traces_service_graph_request_server_seconds_bucket{" + bucket("0.2") + "}",
                Labels.of("traceID", Spans.TRACE), 0.15),
            Tuple.tuple("traces_service_graph_request_client_seconds_bucket{" + bucket("0.2") + "}",
                Labels.of("traceID", Spans.TRACE), 0.2));
    assertThat(sink.metadata.get("traces_service_graph_request_server_seconds").type()).isEqualTo("histogram");
    assertThat(sink.metadata.get("traces_service_graph_request_total").type()).isEqualTo("counter");
  }

  @Test
  void aClientSpanWithADatabaseAttributeIsADatabaseEdgeAtOnce() {
    ServiceGraphProcessor p = processor("{}");
    p.push(Spans.wire(resource("payment-service",
        span("SELECT accounts", SpanKind.SPAN_KIND_CLIENT, "00000000000000c1", "00000000000000b1", NOW, 300)
            .addAttributes(attr("db.system.name", "postgresql")).addAttributes(attr("server.address", "db-1")),
        span("SELECT orders", SpanKind.SPAN_KIND_CLIENT, "00000000000000c2", "00000000000000b1", NOW, 300)
            .addAttributes(attr("db.namespace", "orders")),
        span("GET", SpanKind.SPAN_KIND_CLIENT, "00000000000000c3", "00000000000000b1", NOW, 300)
            .addAttributes(attr("db.system", "redis")).addAttributes(attr("network.peer.address", "10.0.0.7"))
            .addAttributes(attr("network.peer.port", 6379L)))), NOW);
    assertThat(p.waiting()).isZero();
    assertThat(collected("traces_service_graph_request_total")).containsOnly(
        entry("traces_service_graph_request_total{client=\"payment-service\", connection_type=\"database\", "
            + "server=\"db-1\"}", 1.0),
        entry("traces_service_graph_request_total{client=\"payment-service\", connection_type=\"database\", "
            + "server=\"orders\"}", 1.0),
        entry("traces_service_graph_request_total{client=\"payment-service\", connection_type=\"database\", "
            + "server=\"10.0.0.7:6379\"}", 1.0));
    // The client's duration stands for the server's too.
    assertThat(sink.valueAt("traces_service_graph_request_server_seconds_sum{client=\"payment-service\", "
        + "connection_type=\"database\", server=\"db-1\"}", NOW)).isEqualTo(0.3);
  }

  @Test
  void loneHalvesExpireIntoVirtualNodesOrUnpairedSpans() {
    ServiceGraphProcessor p = processor("{}");
    Resource gateway = Resource.newBuilder().addAttributes(attr("service.name", "gateway")).build();
    p.push(Spans.wire(
        resource("order-service", span("POST /orders", SpanKind.SPAN_KIND_SERVER, "00000000000000a0", null, NOW, 10),
            span("charge", SpanKind.SPAN_KIND_CLIENT, "00000000000000a2", "00000000000000a0", NOW, 10)
                .addAttributes(attr("peer.service", "stripe")),
            span("lost", SpanKind.SPAN_KIND_CLIENT, "00000000000000a3", "00000000000000a0", NOW, 10)),
        resource("payment-service", span("refund", SpanKind.SPAN_KIND_SERVER, "00000000000000b9",
            "00000000000000f0", NOW, 10)),
        resource(gateway, span("GET /", SpanKind.SPAN_KIND_SERVER, "00000000000000d0", null, NOW, 10)
            .setTraceId(Spans.id("11111111111111111111111111111111")).addAttributes(attr("peer.service", "cdn")))),
        NOW);
    assertThat(p.waiting()).isEqualTo(5);
    p.expire(NOW + 9_999);
    assertThat(p.waiting()).isEqualTo(5);
    p.expire(NOW + 10_000);
    assertThat(p.waiting()).isZero();
    clock = NOW + 10_000;
    assertThat(collected("traces_service_graph_")).contains(
        entry("traces_service_graph_request_total{client=\"user\", connection_type=\"virtual_node\", "
            + "server=\"order-service\"}", 1.0),
        entry("traces_service_graph_request_total{client=\"cdn\", connection_type=\"virtual_node\", "
            + "server=\"gateway\"}", 1.0),
        entry("traces_service_graph_request_total{client=\"order-service\", connection_type=\"virtual_node\", "
            + "server=\"stripe\"}", 1.0),
        entry("traces_service_graph_unpaired_spans_total{client=\"order-service\"}", 1.0),
        entry("traces_service_graph_unpaired_spans_total{server=\"payment-service\"}", 1.0));
    assertThat(sink.at(clock, "traces_service_graph_request_total")).hasSize(3);
    assertThat(sink.at(clock, "traces_service_graph_request_failed_total")).isEmpty();
  }

  @Test
  void halvesBeyondMaxItemsAreDroppedOnceNothingIsDueToExpire() {
    ServiceGraphProcessor p = processor("max_items: 1");
    p.push(Spans.wire(resource("order-service",
        span("a", SpanKind.SPAN_KIND_CLIENT, "00000000000000a1", "00000000000000a0", NOW, 10),
        span("b", SpanKind.SPAN_KIND_CLIENT, "00000000000000a2", "00000000000000a0", NOW, 10))), NOW);
    assertThat(p.waiting()).isEqualTo(1);
    assertThat(collected("traces_service_graph_dropped_spans_total")).containsOnly(
        entry("traces_service_graph_dropped_spans_total{client=\"order-service\"}", 1.0));
    // Once the first is due, it expires to make room.
    p.push(Spans.wire(resource("order-service",
        span("c", SpanKind.SPAN_KIND_CLIENT, "00000000000000a3", "00000000000000a0", NOW, 10))), NOW + 10_000);
    assertThat(p.waiting()).isEqualTo(1);
    clock = NOW + 10_000;
    assertThat(collected("traces_service_graph_")).contains(
        entry("traces_service_graph_dropped_spans_total{client=\"order-service\"}", 1.0),
        entry("traces_service_graph_unpaired_spans_total{client=\"order-service\"}", 1.0));
  }

  @Test
  void messagingEdgesTimeTheQueueWhenAsked() {
    ServiceGraphProcessor p = processor("enable_messaging_system_latency_histogram: true");
    p.push(Spans.wire(resource("order-service", span("publish", SpanKind.SPAN_KIND_PRODUCER, "00000000000000a1",
        "00000000000000a0", NOW, 10)), resource("billing", span("consume", SpanKind.SPAN_KIND_CONSUMER,
            "00000000000000b1", "00000000000000a1", NOW + 510, 5))), NOW + 1000);
    clock = NOW + 1000;
    String edge = "client=\"order-service\", connection_type=\"messaging_system\", server=\"billing\"";
    assertThat(collected("traces_service_graph_request_")).contains(
        entry("traces_service_graph_request_total{" + edge + "}", 1.0),
        entry("traces_service_graph_request_messaging_system_seconds_sum{" + edge + "}", 0.5),
        entry("traces_service_graph_request_messaging_system_seconds_bucket{client=\"order-service\", connection_type=\"messaging_system\", le=\"0.4\", server=\"billing\"}", 0.0),
        entry("traces_service_graph_request_messaging_system_seconds_bucket{client=\"order-service\", connection_type=\"messaging_system\", le=\"0.8\", server=\"billing\"}", 1.0));
  }

  @Test
  void dimensionsGetClientAndServerPrefixesAndVirtualNodesTheirLabel() {
    ServiceGraphProcessor p = processor("""
        dimensions: [deployment.environment, http.route]
        enable_client_server_prefix: true
        enable_virtual_node_label: true
        """);
    Resource orders = Resource.newBuilder().addAttributes(attr("service.name", "order-service"))
        .addAttributes(attr("deployment.environment", "prod")).build();
    Resource payments = Resource.newBuilder().addAttributes(attr("service.name", "payment-service"))
        .addAttributes(attr("deployment.environment", "staging")).build();
    p.push(Spans.wire(resource(orders, span("POST /pay", SpanKind.SPAN_KIND_CLIENT, "00000000000000a1",
        "00000000000000a0", NOW, 10)), resource(payments, span("charge", SpanKind.SPAN_KIND_SERVER,
            "00000000000000b1", "00000000000000a1", NOW, 10).addAttributes(attr("http.route", "/charge"))),
        resource(orders, span("GET /", SpanKind.SPAN_KIND_SERVER, "00000000000000a0", null, NOW, 10))), NOW);
    p.expire(NOW + 10_000);
    clock = NOW + 10_000;
    assertThat(collected("traces_service_graph_request_total")).containsOnlyKeys(
        "traces_service_graph_request_total{client=\"order-service\", client_deployment_environment=\"prod\", "
            + "server=\"payment-service\", server_deployment_environment=\"staging\", server_http_route=\"/charge\"}",
        "traces_service_graph_request_total{client=\"user\", connection_type=\"virtual_node\", "
            + "server=\"order-service\", server_deployment_environment=\"prod\", virtual_node=\"client\"}");
  }

  @Test
  void dimensionsWithoutPrefixTakeEitherSide() {
    ServiceGraphProcessor p = processor("dimensions: [http.route]");
    p.push(Spans.wire(resource("order-service", span("POST /pay", SpanKind.SPAN_KIND_CLIENT, "00000000000000a1",
        "00000000000000a0", NOW, 10)), resource("payment-service", span("charge", SpanKind.SPAN_KIND_SERVER,
            "00000000000000b1", "00000000000000a1", NOW, 10).addAttributes(attr("http.route", "/charge")))), NOW);
    assertThat(collected("traces_service_graph_request_total")).containsOnlyKeys(
        "traces_service_graph_request_total{client=\"order-service\", http_route=\"/charge\", server=\"payment-service\"}");
  }
}

package io.sightline.server.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sightline.collector.pipeline.Signal;
import io.sightline.server.Sightline;
import io.sightline.server.testing.RecordingExporterFactory;
import io.sightline.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters, gRPC and HTTP/protobuf, send traces, metrics and logs to a
 * server on real ports; the pipeline's exporter must see exactly what the SDK recorded, attribute for attribute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpSdkEndToEndTest {
  private static final String CONFIG = """
      exporters:
        recording: {}
      service:
        pipelines:
          traces:  {receivers: [otlp], processors: [memory_limiter, batch], exporters: [recording]}
          metrics: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [recording]}
          logs:    {receivers: [otlp], processors: [memory_limiter, batch], exporters: [recording]}
      """;
  private static final Resource RESOURCE = Resource.create(Attributes.builder()
      .put("service.name", "checkout").put("service.version", "1.4.2").put("host.name", "node-7").build());

  @TempDir
  static Path dataDir;
  private final RecordingExporterFactory recording = new RecordingExporterFactory();
  private Sightline server;

  @BeforeAll
  void start() throws Exception {
    server = TestServers.start(CONFIG, dataDir, recording);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void clear() {
    recording.clear();
  }

  private String endpoint(String protocol) {
    return "http://127.0.0.1:" + server.receiverPorts("otlp").get(protocol);
  }

  private SpanExporter spanExporter(String protocol) {
    return protocol.equals("grpc")
        ? OtlpGrpcSpanExporter.builder().setEndpoint(endpoint("grpc")).build()
        : OtlpHttpSpanExporter.builder().setEndpoint(endpoint("http") + "/v1/traces").build();
  }

  private MetricExporter metricExporter(String protocol) {
    return protocol.equals("grpc")
        ? OtlpGrpcMetricExporter.builder().setEndpoint(endpoint("grpc")).build()
        : OtlpHttpMetricExporter.builder().setEndpoint(endpoint("http") + "/v1/metrics").build();
  }

  private LogRecordExporter logExporter(String protocol) {
    return protocol.equals("grpc")
        ? OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint("grpc")).build()
        : OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint("http") + "/v1/logs").build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void tracesArriveAttributeForAttribute(String protocol) throws Exception {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    SpanExporter otlp = spanExporter(protocol);
    List<SpanData> sent;
    try (SdkTracerProvider provider = SdkTracerProvider.builder().setResource(RESOURCE)
        .addSpanProcessor(SimpleSpanProcessor.create(memory)).addSpanProcessor(BatchSpanProcessor.builder(otlp)
            .setScheduleDelay(Duration.ofMillis(100)).build())
        .build()) {
      Tracer tracer = provider.get("shop.orders", "2.0.1");
      Span root = tracer.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "POST").setAttribute("http.response.status_code", 201L)
          .setAttribute("order.total", 250.75).setAttribute("order.express", true)
          .setAttribute(AttributeKey.stringArrayKey("order.items"), List.of("item-1", "item-2")).startSpan();
      try (Scope ignored = root.makeCurrent()) {
        for (int i = 0; i < 20; i++) {
          Span child = tracer.spanBuilder("SELECT inventory").setSpanKind(SpanKind.CLIENT)
              .setAttribute("db.system", "postgresql").setAttribute("db.row", (long) i).startSpan();
          child.addEvent("rows fetched", Attributes.of(AttributeKey.longKey("rows"), (long) i));
          if (i == 7) {
            child.setStatus(StatusCode.ERROR, "deadlock detected");
          }
          child.end();
        }
      }
      root.end();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      sent = List.copyOf(memory.getFinishedSpanItems());
    }
    recording.awaitItems(Signal.TRACES, sent.size(), Duration.ofSeconds(10));

    Map<String, io.opentelemetry.proto.trace.v1.Span> received = recording.spans().stream()
        .collect(Collectors.toMap(s -> hex(s.getSpanId().toByteArray()), s -> s));
    assertThat(received).hasSize(sent.size());
    for (SpanData expected : sent) {
      io.opentelemetry.proto.trace.v1.Span actual = received.get(expected.getSpanId());
      assertThat(actual).as("span %s", expected.getSpanId()).isNotNull();
      assertThat(hex(actual.getTraceId().toByteArray())).isEqualTo(expected.getTraceId());
      assertThat(hex(actual.getParentSpanId().toByteArray()))
          .isEqualTo(expected.getParentSpanContext().isValid() ? expected.getParentSpanId() : "");
      assertThat(actual.getName()).isEqualTo(expected.getName());
      assertThat(actual.getKind().name()).isEqualTo("SPAN_KIND_" + expected.getKind().name());
      assertThat(actual.getStartTimeUnixNano()).isEqualTo(expected.getStartEpochNanos());
      assertThat(actual.getEndTimeUnixNano()).isEqualTo(expected.getEndEpochNanos());
      assertThat(toMap(actual.getAttributesList())).isEqualTo(toMap(expected.getAttributes()));
      assertThat(actual.getEventsCount()).isEqualTo(expected.getEvents().size());
      for (int i = 0; i < actual.getEventsCount(); i++) {
        assertThat(actual.getEvents(i).getName()).isEqualTo(expected.getEvents().get(i).getName());
        assertThat(toMap(actual.getEvents(i).getAttributesList()))
            .isEqualTo(toMap(expected.getEvents().get(i).getAttributes()));
      }
      assertThat(actual.getStatus().getCode().name()).isEqualTo("STATUS_CODE_" + expected.getStatus().getStatusCode().name());
      assertThat(actual.getStatus().getMessage()).isEqualTo(expected.getStatus().getDescription());
    }
    for (var traces : recording.traces()) {
      for (var rs : traces.resourceSpans()) {
        assertThat(toMap(rs.getResource().getAttributesList())).isEqualTo(toMap(RESOURCE.getAttributes()));
        for (var ss : rs.getScopeSpansList()) {
          assertThat(ss.getScope().getName()).isEqualTo("shop.orders");
          assertThat(ss.getScope().getVersion()).isEqualTo("2.0.1");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void metricsOfEveryInstrumentKindArrive(String protocol) throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    Collection<MetricData> sent;
    String traceId;
    try (SdkMeterProvider meters = SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader).build();
        SdkTracerProvider tracers = tracerThatRecords()) {
      Meter meter = meters.get("shop.metrics");
      LongCounter orders = meter.counterBuilder("orders").setDescription("Orders placed").setUnit("{order}").build();
      var inFlight = meter.upDownCounterBuilder("orders.in_flight").build();
      DoubleHistogram latency = meter.histogramBuilder("http.server.request.duration").setUnit("s").build();
      var temperature = meter.gaugeBuilder("cpu.temperature").setUnit("Cel").build();
      meter.counterBuilder("bytes.sent").ofDoubles().build().add(1.5e6, Attributes.of(AttributeKey.stringKey("peer"), "db"));
      orders.add(3, Attributes.of(AttributeKey.stringKey("region"), "eu"));
      orders.add(5, Attributes.of(AttributeKey.stringKey("region"), "us"));
      inFlight.add(7);
      inFlight.add(-2);
      temperature.set(61.5, Attributes.of(AttributeKey.stringKey("core"), "0"));
      Span span = tracers.get("t").spanBuilder("work").startSpan();
      traceId = span.getSpanContext().getTraceId();
      try (Scope ignored = span.makeCurrent()) {
        latency.record(0.25, Attributes.of(AttributeKey.stringKey("http.route"), "/orders"));
        latency.record(1.5, Attributes.of(AttributeKey.stringKey("http.route"), "/orders"));
      } finally {
        span.end();
      }
      sent = reader.collectAllMetrics();
    }
    MetricExporter exporter = metricExporter(protocol);
    CompletableResultCode result = exporter.export(sent).join(10, TimeUnit.SECONDS);
    exporter.shutdown();
    assertThat(result.isSuccess()).isTrue();
    int points = sent.stream().mapToInt(m -> m.getData().getPoints().size()).sum();
    recording.awaitItems(Signal.METRICS, points, Duration.ofSeconds(10));

    Map<String, Metric> received = recording.metrics().stream().collect(Collectors.toMap(Metric::getName, m -> m));
    assertThat(received.keySet()).containsExactlyInAnyOrder("orders", "orders.in_flight", "http.server.request.duration",
        "cpu.temperature", "bytes.sent");
    Metric ordersMetric = received.get("orders");
    assertThat(ordersMetric.getDescription()).isEqualTo("Orders placed");
    assertThat(ordersMetric.getUnit()).isEqualTo("{order}");
    assertThat(ordersMetric.getSum().getIsMonotonic()).isTrue();
    assertThat(ordersMetric.getSum().getAggregationTemporality().name()).isEqualTo("AGGREGATION_TEMPORALITY_CUMULATIVE");
    assertThat(ordersMetric.getSum().getDataPointsList()).extracting(p -> toMap(p.getAttributesList()).get("region"),
        NumberDataPoint::getAsInt).containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("eu", 3L),
        org.assertj.core.groups.Tuple.tuple("us", 5L));
    assertThat(received.get("orders.in_flight").getSum().getIsMonotonic()).isFalse();
    assertThat(received.get("orders.in_flight").getSum().getDataPoints(0).getAsInt()).isEqualTo(5);
    assertThat(received.get("cpu.temperature").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(61.5);
    assertThat(received.get("bytes.sent").getSum().getDataPoints(0).getAsDouble()).isEqualTo(1.5e6);
    HistogramDataPoint hist = received.get("http.server.request.duration").getHistogram().getDataPoints(0);
    assertThat(hist.getCount()).isEqualTo(2);
    assertThat(hist.getSum()).isEqualTo(1.75);
    assertThat(hist.getExplicitBoundsList()).isNotEmpty();
    assertThat(hist.getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
    assertThat(hist.getExemplarsList()).isNotEmpty();
    assertThat(hex(hist.getExemplars(0).getTraceId().toByteArray())).isEqualTo(traceId);
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "http"})
  void logsArriveWithTheirTraceContext(String protocol) throws Exception {
    InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
    LogRecordExporter otlp = logExporter(protocol);
    List<LogRecordData> sent;
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(RESOURCE)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(memory))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(otlp).setScheduleDelay(Duration.ofMillis(100)).build())
        .build();
        SdkTracerProvider tracers = tracerThatRecords()) {
      var logger = provider.get("shop.logs");
      Span span = tracers.get("t").spanBuilder("pay").startSpan();
      for (int i = 0; i < 30; i++) {
        logger.logRecordBuilder().setBody("payment " + i + " declined: insufficient funds")
            .setSeverity(i % 2 == 0 ? Severity.WARN : Severity.ERROR).setSeverityText(i % 2 == 0 ? "WARN" : "ERROR")
            .setAttribute(AttributeKey.stringKey("payment.id"), "p-" + i)
            .setAttribute(AttributeKey.longKey("attempt"), (long) i)
            .setContext(Context.current().with(span)).emit();
      }
      span.end();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      sent = List.copyOf(memory.getFinishedLogRecordItems());
    }
    recording.awaitItems(Signal.LOGS, sent.size(), Duration.ofSeconds(10));
    var received = recording.logRecords();
    assertThat(received).hasSize(sent.size());
    Map<String, io.opentelemetry.proto.logs.v1.LogRecord> byBody = received.stream()
        .collect(Collectors.toMap(r -> r.getBody().getStringValue(), r -> r));
    for (LogRecordData expected : sent) {
      var actual = byBody.get(expected.getBodyValue().asString());
      assertThat(actual).isNotNull();
      assertThat(actual.getSeverityNumberValue()).isEqualTo(expected.getSeverity().getSeverityNumber());
      assertThat(actual.getSeverityText()).isEqualTo(expected.getSeverityText());
      assertThat(toMap(actual.getAttributesList())).isEqualTo(toMap(expected.getAttributes()));
      assertThat(hex(actual.getTraceId().toByteArray())).isEqualTo(expected.getSpanContext().getTraceId());
      assertThat(hex(actual.getSpanId().toByteArray())).isEqualTo(expected.getSpanContext().getSpanId());
      assertThat(actual.getTimeUnixNano()).isEqualTo(expected.getTimestampEpochNanos());
    }
  }

  /** A provider with a processor: without one the SDK hands out non-recording spans with invalid ids. */
  private static SdkTracerProvider tracerThatRecords() {
    return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static Map<String, Object> toMap(List<KeyValue> attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  static Map<String, Object> toMap(Attributes attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> out.put(k.getKey(), v));
    return out;
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case ARRAY_VALUE -> {
        List<Object> list = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(x -> list.add(value(x)));
        yield list;
      }
      default -> v.toString();
    };
  }
}

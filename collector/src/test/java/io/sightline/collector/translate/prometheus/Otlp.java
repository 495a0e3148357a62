package io.sightline.collector.translate.prometheus;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;

/** Terse builders for OTLP test input. Times are in seconds since the epoch of a fixed base, as nanoseconds. */
final class Otlp {
  /** 2024-01-01T00:00:00Z. */
  static final long BASE_NANOS = 1_704_067_200_000_000_000L;
  static final long BASE_MS = BASE_NANOS / 1_000_000;
  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN_ID = "b7ad6b7169203331";

  private Otlp() {}

  static long at(double seconds) {
    return BASE_NANOS + (long) (seconds * 1e9);
  }

  static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  static Resource resource(KeyValue... attributes) {
    return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
  }

  /** The usual resource: job "shop/cart", instance "cart-1", plus host.name. */
  static Resource shopCart() {
    return resource(kv("service.namespace", "shop"), kv("service.name", "cart"), kv("service.instance.id", "cart-1"),
        kv("host.name", "node-7"));
  }

  static List<ResourceMetrics> batch(Resource resource, Metric... metrics) {
    return List.of(resourceMetrics(resource, ScopeMetrics.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("shop.lib").setVersion("1.2.0"))
        .addAllMetrics(List.of(metrics)).build()));
  }

  static ResourceMetrics resourceMetrics(Resource resource, ScopeMetrics... scopes) {
    return ResourceMetrics.newBuilder().setResource(resource).addAllScopeMetrics(List.of(scopes)).build();
  }

  static NumberDataPoint point(double seconds, double value, KeyValue... attributes) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(at(seconds)).setAsDouble(value)
        .addAllAttributes(List.of(attributes)).build();
  }

  static NumberDataPoint delta(double fromSeconds, double toSeconds, double value, KeyValue... attributes) {
    return point(toSeconds, value, attributes).toBuilder().setStartTimeUnixNano(at(fromSeconds)).build();
  }

  static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
  }

  static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality temporality,
      NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setSum(Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(temporality)
            .addAllDataPoints(List.of(points))).build();
  }

  static Metric counter(String name, String unit, NumberDataPoint... points) {
    return sum(name, unit, true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, points);
  }

  static HistogramDataPoint.Builder histogramPoint(double seconds, List<Double> bounds, List<Long> counts, double sum) {
    return HistogramDataPoint.newBuilder().setTimeUnixNano(at(seconds)).addAllExplicitBounds(bounds)
        .addAllBucketCounts(counts).setCount(counts.stream().mapToLong(Long::longValue).sum()).setSum(sum);
  }

  static Metric histogram(String name, String unit, AggregationTemporality temporality, HistogramDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(temporality).addAllDataPoints(List.of(points)))
        .build();
  }

  static io.opentelemetry.proto.metrics.v1.Exemplar exemplar(double seconds, double value) {
    return io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder().setTimeUnixNano(at(seconds)).setAsDouble(value)
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE_ID)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN_ID))).build();
  }
}

package io.sightline.collector.pipeline;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.List;

/**
 * Metrics grouped by resource and instrumentation scope, as OTLP carries them. The item is the data point, as in
 * the Collector: a metric with no points counts as none.
 */
public final class Metrics implements Telemetry {
  private final ExportMetricsServiceRequest request;
  private final int pointCount;

  private Metrics(ExportMetricsServiceRequest request) {
    this.request = request;
    int count = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          count += dataPointCount(m);
        }
      }
    }
    this.pointCount = count;
  }

  public static Metrics of(ExportMetricsServiceRequest request) {
    return new Metrics(request);
  }

  public static Metrics of(List<ResourceMetrics> resourceMetrics) {
    return new Metrics(ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(resourceMetrics).build());
  }

  public List<ResourceMetrics> resourceMetrics() {
    return request.getResourceMetricsList();
  }

  public ExportMetricsServiceRequest toRequest() {
    return request;
  }

  /** Data points of one metric, whatever its type. */
  public static int dataPointCount(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  @Override
  public Signal signal() {
    return Signal.METRICS;
  }

  @Override
  public int itemCount() {
    return pointCount;
  }

  @Override
  public int serializedSize() {
    return request.getSerializedSize();
  }
}

package io.sightline.collector.pipeline;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Merging batches into one and cutting one into pieces of at most {@code max} items, at item granularity (a span, a
 * log record, a metric data point), with the resource and scope (and for metrics the metric's name, unit and type)
 * kept around each piece. Items keep their order.
 */
public final class Slicing {
  private Slicing() {}

  /** One batch holding every item of {@code batches}, in order. A single batch is returned as it is. */
  @SuppressWarnings("unchecked")
  public static <T extends Telemetry> T merge(List<T> batches) {
    if (batches.size() == 1) {
      return batches.get(0);
    }
    Telemetry first = batches.get(0);
    return (T) switch (first) {
      case Traces ignored -> Traces.of(batches.stream().flatMap(b -> ((Traces) b).resourceSpans().stream()).toList());
      case Metrics ignored -> Metrics.of(batches.stream().flatMap(b -> ((Metrics) b).resourceMetrics().stream()).toList());
      case Logs ignored -> Logs.of(batches.stream().flatMap(b -> ((Logs) b).resourceLogs().stream()).toList());
    };
  }

  /** {@code batch} cut into pieces of at most {@code max} items; the batch itself when it is small enough. */
  @SuppressWarnings("unchecked")
  public static <T extends Telemetry> List<T> split(T batch, int max) {
    if (max <= 0 || batch.itemCount() <= max) {
      return List.of(batch);
    }
    return (List<T>) switch (batch) {
      case Traces t -> splitTraces(t, max);
      case Metrics m -> splitMetrics(m, max);
      case Logs l -> splitLogs(l, max);
    };
  }

  private static List<Traces> splitTraces(Traces batch, int max) {
    List<Traces> out = new ArrayList<>();
    List<ResourceSpans> piece = new ArrayList<>();
    int room = max;
    for (ResourceSpans rs : batch.resourceSpans()) {
      ResourceSpans.Builder resource = null;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        List<Span> spans = ss.getSpansList();
        int at = 0;
        while (at < spans.size()) {
          int take = Math.min(room, spans.size() - at);
          if (resource == null) {
            resource = rs.toBuilder().clearScopeSpans();
          }
          resource.addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(spans.subList(at, at + take)));
          at += take;
          room -= take;
          if (room == 0) {
            piece.add(resource.build());
            out.add(Traces.of(piece));
            piece = new ArrayList<>();
            resource = null;
            room = max;
          }
        }
      }
      if (resource != null) {
        piece.add(resource.build());
      }
    }
    if (!piece.isEmpty()) {
      out.add(Traces.of(piece));
    }
    return out;
  }

  private static List<Logs> splitLogs(Logs batch, int max) {
    List<Logs> out = new ArrayList<>();
    List<ResourceLogs> piece = new ArrayList<>();
    int room = max;
    for (ResourceLogs rl : batch.resourceLogs()) {
      ResourceLogs.Builder resource = null;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        List<LogRecord> records = sl.getLogRecordsList();
        int at = 0;
        while (at < records.size()) {
          int take = Math.min(room, records.size() - at);
          if (resource == null) {
            resource = rl.toBuilder().clearScopeLogs();
          }
          resource.addScopeLogs(sl.toBuilder().clearLogRecords().addAllLogRecords(records.subList(at, at + take)));
          at += take;
          room -= take;
          if (room == 0) {
            piece.add(resource.build());
            out.add(Logs.of(piece));
            piece = new ArrayList<>();
            resource = null;
            room = max;
          }
        }
      }
      if (resource != null) {
        piece.add(resource.build());
      }
    }
    if (!piece.isEmpty()) {
      out.add(Logs.of(piece));
    }
    return out;
  }

  private static List<Metrics> splitMetrics(Metrics batch, int max) {
    List<Metrics> out = new ArrayList<>();
    List<ResourceMetrics> piece = new ArrayList<>();
    int room = max;
    for (ResourceMetrics rm : batch.resourceMetrics()) {
      ResourceMetrics.Builder resource = null;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        ScopeMetrics.Builder scope = null;
        for (Metric metric : sm.getMetricsList()) {
          int points = Metrics.dataPointCount(metric);
          int at = 0;
          do {
            int take = Math.min(room, points - at);
            if (scope == null) {
              scope = sm.toBuilder().clearMetrics();
            }
            scope.addMetrics(take == points ? metric : slice(metric, at, at + take));
            at += take;
            room -= take;
            if (room == 0) {
              if (resource == null) {
                resource = rm.toBuilder().clearScopeMetrics();
              }
              resource.addScopeMetrics(scope);
              piece.add(resource.build());
              out.add(Metrics.of(piece));
              piece = new ArrayList<>();
              resource = null;
              scope = null;
              room = max;
            }
          } while (at < points);
        }
        if (scope != null) {
          if (resource == null) {
            resource = rm.toBuilder().clearScopeMetrics();
          }
          resource.addScopeMetrics(scope);
        }
      }
      if (resource != null) {
        piece.add(resource.build());
      }
    }
    if (!piece.isEmpty()) {
      out.add(Metrics.of(piece));
    }
    return out;
  }

  /** The metric with only its data points {@code from} (inclusive) to {@code to} (exclusive). */
  private static Metric slice(Metric m, int from, int to) {
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE -> b.setGauge(m.getGauge().toBuilder().clearDataPoints()
          .addAllDataPoints(m.getGauge().getDataPointsList().subList(from, to)));
      case SUM -> b.setSum(m.getSum().toBuilder().clearDataPoints()
          .addAllDataPoints(m.getSum().getDataPointsList().subList(from, to)));
      case HISTOGRAM -> b.setHistogram(m.getHistogram().toBuilder().clearDataPoints()
          .addAllDataPoints(m.getHistogram().getDataPointsList().subList(from, to)));
      case EXPONENTIAL_HISTOGRAM -> b.setExponentialHistogram(m.getExponentialHistogram().toBuilder().clearDataPoints()
          .addAllDataPoints(m.getExponentialHistogram().getDataPointsList().subList(from, to)));
      case SUMMARY -> b.setSummary(m.getSummary().toBuilder().clearDataPoints()
          .addAllDataPoints(m.getSummary().getDataPointsList().subList(from, to)));
      case DATA_NOT_SET -> { }
    }
    return b.build();
  }
}

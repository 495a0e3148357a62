package io.sightline.collector.pipeline;

import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

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
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge: the signal of an empty list is unknown");
    }
    if (batches.size() == 1) {
      return batches.get(0);
    }
    Telemetry first = batches.get(0);
    return (T) switch (first) {
      case Traces ignored -> Traces.concat(batches.stream().map(b -> (Traces) b).toList());
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
    return splitItems(batch.resourceSpans(), max, ResourceSpans::getScopeSpansList, ScopeSpans::getSpansList,
        (rs, scopes) -> rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build(),
        (ss, spans) -> ss.toBuilder().clearSpans().addAllSpans(spans).build(), Traces::of);
  }

  private static List<Logs> splitLogs(Logs batch, int max) {
    return splitItems(batch.resourceLogs(), max, ResourceLogs::getScopeLogsList, ScopeLogs::getLogRecordsList,
        (rl, scopes) -> rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes).build(),
        (sl, records) -> sl.toBuilder().clearLogRecords().addAllLogRecords(records).build(), Logs::of);
  }

  /**
   * Cuts a resource → scope → item tree into pieces of at most {@code max} items, rebuilding each resource and
   * scope around the items that fall into a piece.
   */
  private static <R, S, I, T> List<T> splitItems(List<R> resources, int max, Function<R, List<S>> scopesOf,
      Function<S, List<I>> itemsOf, BiFunction<R, List<S>, R> withScopes, BiFunction<S, List<I>, S> withItems,
      Function<List<R>, T> wrap) {
    List<T> out = new ArrayList<>();
    List<R> piece = new ArrayList<>();
    int room = max;
    for (R resource : resources) {
      List<S> scopes = new ArrayList<>();
      for (S scope : scopesOf.apply(resource)) {
        List<I> items = itemsOf.apply(scope);
        int at = 0;
        while (at < items.size()) {
          int take = Math.min(room, items.size() - at);
          scopes.add(withItems.apply(scope, items.subList(at, at + take)));
          at += take;
          room -= take;
          if (room == 0) {
            piece.add(withScopes.apply(resource, scopes));
            out.add(wrap.apply(piece));
            piece = new ArrayList<>();
            scopes = new ArrayList<>();
            room = max;
          }
        }
      }
      if (!scopes.isEmpty()) {
        piece.add(withScopes.apply(resource, scopes));
      }
    }
    if (!piece.isEmpty()) {
      out.add(wrap.apply(piece));
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

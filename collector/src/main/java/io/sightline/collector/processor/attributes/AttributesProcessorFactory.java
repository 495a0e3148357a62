package io.sightline.collector.processor.attributes;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Consumer;
import io.sightline.collector.pipeline.Logs;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Processor;
import io.sightline.collector.pipeline.ProcessorFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.pipeline.Traces;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Type {@code attributes}: the actions apply to the attributes of every span, log record and metric data point (not
 * to resources: that is the {@code resource} processor's job).
 *
 * <p>Only what an action changed is rebuilt: an item whose attributes are untouched keeps its instance, and so do the
 * scope and resource around it, so a processor whose actions rarely match costs little more than a walk of the tree.
 */
public final class AttributesProcessorFactory implements ProcessorFactory<AttributeActions> {

  @Override
  public String type() {
    return "attributes";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public AttributeActions parseConfig(ConfigMap config) {
    config.notSupportedYet("include", "exclude");
    AttributeActions actions = AttributeActions.parse(config, "actions");
    config.finish();
    return actions;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Telemetry> Processor<T> create(ComponentSettings settings, AttributeActions actions, Signal signal,
      Consumer<T> next) {
    return Processor.transforming(next, batch -> (T) apply(actions, batch));
  }

  /** {@code batch} with the actions applied; the same instance if no attribute changed. */
  static Telemetry apply(AttributeActions actions, Telemetry batch) {
    return switch (batch) {
      case Traces t -> {
        List<ResourceSpans> out = AttributeActions.mapEach(t.resourceSpans(), rs -> {
          List<ScopeSpans> scopes = AttributeActions.mapEach(rs.getScopeSpansList(), ss -> {
            List<Span> spans = AttributeActions.mapEach(ss.getSpansList(), s -> span(actions, s));
            return spans == ss.getSpansList() ? ss : ss.toBuilder().clearSpans().addAllSpans(spans).build();
          });
          return scopes == rs.getScopeSpansList() ? rs
              : rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build();
        });
        yield out == t.resourceSpans() ? t : Traces.of(out);
      }
      case Logs l -> {
        List<ResourceLogs> out = AttributeActions.mapEach(l.resourceLogs(), rl -> {
          List<ScopeLogs> scopes = AttributeActions.mapEach(rl.getScopeLogsList(), sl -> {
            List<LogRecord> records = AttributeActions.mapEach(sl.getLogRecordsList(), r -> log(actions, r));
            return records == sl.getLogRecordsList() ? sl
                : sl.toBuilder().clearLogRecords().addAllLogRecords(records).build();
          });
          return scopes == rl.getScopeLogsList() ? rl : rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes).build();
        });
        yield out == l.resourceLogs() ? l : Logs.of(out);
      }
      case Metrics m -> {
        List<ResourceMetrics> out = AttributeActions.mapEach(m.resourceMetrics(), rm -> {
          List<ScopeMetrics> scopes = AttributeActions.mapEach(rm.getScopeMetricsList(), sm -> {
            List<Metric> metrics = AttributeActions.mapEach(sm.getMetricsList(), x -> metric(actions, x));
            return metrics == sm.getMetricsList() ? sm : sm.toBuilder().clearMetrics().addAllMetrics(metrics).build();
          });
          return scopes == rm.getScopeMetricsList() ? rm
              : rm.toBuilder().clearScopeMetrics().addAllScopeMetrics(scopes).build();
        });
        yield out == m.resourceMetrics() ? m : Metrics.of(out);
      }
    };
  }

  private static Span span(AttributeActions actions, Span s) {
    List<KeyValue> after = actions.apply(s.getAttributesList());
    return after == s.getAttributesList() ? s : s.toBuilder().clearAttributes().addAllAttributes(after).build();
  }

  private static LogRecord log(AttributeActions actions, LogRecord r) {
    List<KeyValue> after = actions.apply(r.getAttributesList());
    return after == r.getAttributesList() ? r : r.toBuilder().clearAttributes().addAllAttributes(after).build();
  }

  /** The metric with the actions applied to each data point's attributes; its name, type and temporality stay. */
  private static Metric metric(AttributeActions actions, Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> {
        List<NumberDataPoint> points = AttributeActions.mapEach(m.getGauge().getDataPointsList(), p -> number(actions, p));
        yield points == m.getGauge().getDataPointsList() ? m
            : m.toBuilder().setGauge(m.getGauge().toBuilder().clearDataPoints().addAllDataPoints(points)).build();
      }
      case SUM -> {
        List<NumberDataPoint> points = AttributeActions.mapEach(m.getSum().getDataPointsList(), p -> number(actions, p));
        yield points == m.getSum().getDataPointsList() ? m
            : m.toBuilder().setSum(m.getSum().toBuilder().clearDataPoints().addAllDataPoints(points)).build();
      }
      case HISTOGRAM -> {
        List<HistogramDataPoint> points = AttributeActions.mapEach(m.getHistogram().getDataPointsList(), p -> {
          List<KeyValue> after = actions.apply(p.getAttributesList());
          return after == p.getAttributesList() ? p : p.toBuilder().clearAttributes().addAllAttributes(after).build();
        });
        yield points == m.getHistogram().getDataPointsList() ? m : m.toBuilder()
            .setHistogram(m.getHistogram().toBuilder().clearDataPoints().addAllDataPoints(points)).build();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        List<ExponentialHistogramDataPoint> points = AttributeActions.mapEach(m.getExponentialHistogram().getDataPointsList(), p -> {
          List<KeyValue> after = actions.apply(p.getAttributesList());
          return after == p.getAttributesList() ? p : p.toBuilder().clearAttributes().addAllAttributes(after).build();
        });
        yield points == m.getExponentialHistogram().getDataPointsList() ? m : m.toBuilder().setExponentialHistogram(
            m.getExponentialHistogram().toBuilder().clearDataPoints().addAllDataPoints(points)).build();
      }
      case SUMMARY -> {
        List<SummaryDataPoint> points = AttributeActions.mapEach(m.getSummary().getDataPointsList(), p -> {
          List<KeyValue> after = actions.apply(p.getAttributesList());
          return after == p.getAttributesList() ? p : p.toBuilder().clearAttributes().addAllAttributes(after).build();
        });
        yield points == m.getSummary().getDataPointsList() ? m
            : m.toBuilder().setSummary(m.getSummary().toBuilder().clearDataPoints().addAllDataPoints(points)).build();
      }
      case DATA_NOT_SET -> m;
    };
  }

  private static NumberDataPoint number(AttributeActions actions, NumberDataPoint p) {
    List<KeyValue> after = actions.apply(p.getAttributesList());
    return after == p.getAttributesList() ? p : p.toBuilder().clearAttributes().addAllAttributes(after).build();
  }
}

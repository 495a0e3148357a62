package io.sightline.collector.processor.attributes;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
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
import java.util.function.UnaryOperator;

/** Type {@code attributes}: the actions apply to every span, log record and metric data point. */
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

  static Telemetry apply(AttributeActions actions, Telemetry batch) {
    return switch (batch) {
      case Traces t -> Traces.of(t.resourceSpans().stream().map(rs -> rs.toBuilder().clearScopeSpans()
          .addAllScopeSpans(rs.getScopeSpansList().stream().map(ss -> ss.toBuilder().clearSpans()
              .addAllSpans(ss.getSpansList().stream().map(s -> span(actions, s)).toList()).build()).toList())
          .build()).toList());
      case Logs l -> Logs.of(l.resourceLogs().stream().map(rl -> rl.toBuilder().clearScopeLogs()
          .addAllScopeLogs(rl.getScopeLogsList().stream().map(sl -> sl.toBuilder().clearLogRecords()
              .addAllLogRecords(sl.getLogRecordsList().stream().map(r -> log(actions, r)).toList()).build()).toList())
          .build()).toList());
      case Metrics m -> Metrics.of(m.resourceMetrics().stream().map(rm -> rm.toBuilder().clearScopeMetrics()
          .addAllScopeMetrics(rm.getScopeMetricsList().stream().map(sm -> sm.toBuilder().clearMetrics()
              .addAllMetrics(sm.getMetricsList().stream().map(x -> metric(actions, x)).toList()).build()).toList())
          .build()).toList());
    };
  }

  /** Computes the new attributes before clearing: the builder's list is the input. */
  private static void replace(List<KeyValue> current, UnaryOperator<List<KeyValue>> f, Runnable clear,
      java.util.function.Consumer<List<KeyValue>> add) {
    List<KeyValue> after = f.apply(current);
    if (after != current) {
      List<KeyValue> copy = List.copyOf(after);
      clear.run();
      add.accept(copy);
    }
  }

  private static Span span(AttributeActions actions, Span s) {
    List<KeyValue> after = actions.apply(s.getAttributesList());
    return after == s.getAttributesList() ? s : s.toBuilder().clearAttributes().addAllAttributes(after).build();
  }

  private static LogRecord log(AttributeActions actions, LogRecord r) {
    List<KeyValue> after = actions.apply(r.getAttributesList());
    return after == r.getAttributesList() ? r : r.toBuilder().clearAttributes().addAllAttributes(after).build();
  }

  private static Metric metric(AttributeActions actions, Metric m) {
    UnaryOperator<List<KeyValue>> f = actions::apply;
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE -> b.getGaugeBuilder().getDataPointsBuilderList()
          .forEach(p -> replace(p.getAttributesList(), f, p::clearAttributes, p::addAllAttributes));
      case SUM -> b.getSumBuilder().getDataPointsBuilderList()
          .forEach(p -> replace(p.getAttributesList(), f, p::clearAttributes, p::addAllAttributes));
      case HISTOGRAM -> b.getHistogramBuilder().getDataPointsBuilderList()
          .forEach(p -> replace(p.getAttributesList(), f, p::clearAttributes, p::addAllAttributes));
      case EXPONENTIAL_HISTOGRAM -> b.getExponentialHistogramBuilder().getDataPointsBuilderList()
          .forEach(p -> replace(p.getAttributesList(), f, p::clearAttributes, p::addAllAttributes));
      case SUMMARY -> b.getSummaryBuilder().getDataPointsBuilderList()
          .forEach(p -> replace(p.getAttributesList(), f, p::clearAttributes, p::addAllAttributes));
      case DATA_NOT_SET -> { }
    }
    return b.build();
  }
}

package io.sightline.collector.translate.prometheus;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One batch through the translator: walks resources, scopes, metrics and points, in that order, and writes to the
 * sink. Holds what is per batch: the label-name cache and the {@code target_info} samples written.
 */
final class TranslationRun {
  /** Attributes never taken as labels: the name comes from the metric. */
  private static final Set<String> RESERVED = Set.of(Labels.METRIC_NAME);
  private static final Comparator<Exemplar> BY_TIME = Comparator.comparingLong(Exemplar::timestampMs);

  private final TranslatorConfig config;
  private final MetricNamer metricNamer;
  private final DeltaToCumulative deltas;
  private final PrometheusSink sink;
  private final LabelSets labelSets;
  private final TargetInfo targetInfo;

  TranslationRun(TranslatorConfig config, MetricNamer metricNamer, DeltaToCumulative deltas, PrometheusSink sink) {
    this.config = config;
    this.metricNamer = metricNamer;
    this.deltas = deltas;
    this.sink = sink;
    this.labelSets = new LabelSets(config);
    this.targetInfo = new TargetInfo(config, labelSets, sink);
  }

  /** A metric family being written: announces its metadata before its first sample, and only then. */
  private final class Family {
    final String name;
    final String type;
    final Metric metric;
    boolean announced;

    Family(String name, String type, Metric metric) {
      this.name = name;
      this.type = type;
      this.metric = metric;
    }

    void sample(Labels labels, long timestampMs, double value) {
      announce();
      sink.sample(labels, timestampMs, value);
    }

    void announce() {
      if (!announced) {
        announced = true;
        sink.metadata(name, type, metric.getDescription(), UnitNamer.prometheusUnit(metric.getUnit()));
      }
    }
  }

  void resource(ResourceMetrics rm) {
    ResourceLabels resource;
    try {
      resource = ResourceLabels.of(rm.getResource(), config, labelSets);
    } catch (IllegalArgumentException e) {
      sink.dropped(DropReason.INVALID_LABEL_NAME, "resource attribute: " + e.getMessage(), points(rm));
      return;
    }
    long earliest = Long.MAX_VALUE;
    long latest = Long.MIN_VALUE;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      ScopeLabels scope;
      try {
        scope = ScopeLabels.of(sm, config, labelSets);
      } catch (IllegalArgumentException e) {
        int points = sm.getMetricsList().stream().mapToInt(TranslationRun::points).sum();
        sink.dropped(DropReason.INVALID_LABEL_NAME, "scope attribute: " + e.getMessage(), points);
        continue;
      }
      for (Metric m : sm.getMetricsList()) {
        for (long t : timestamps(m)) {
          earliest = Math.min(earliest, t);
          latest = Math.max(latest, t);
        }
        metric(m, resource, scope);
      }
    }
    if (earliest != Long.MAX_VALUE) {
      targetInfo.write(resource, earliest, latest);
    }
  }

  private void metric(Metric m, ResourceLabels resource, ScopeLabels scope) {
    if (m.getDataCase() == Metric.DataCase.DATA_NOT_SET) {
      return; // no points to drop
    }
    AggregationTemporality temporality = switch (m.getDataCase()) {
      case SUM -> m.getSum().getAggregationTemporality();
      case HISTOGRAM -> m.getHistogram().getAggregationTemporality();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality();
      default -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    };
    boolean delta = temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    if (!delta && temporality != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
      sink.dropped(DropReason.INVALID_TEMPORALITY, "invalid temporality and type combination for metric \""
          + m.getName() + "\"", points(m));
      return;
    }
    String name;
    try {
      name = metricNamer.build(m.getName(), m.getUnit(), kind(m));
    } catch (IllegalArgumentException e) {
      sink.dropped(DropReason.INVALID_METRIC_NAME, e.getMessage(), points(m));
      return;
    }
    Family family = new Family(name, prometheusType(m, delta), m);
    Context context = new Context(resource, scope);
    switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList().forEach(p -> number(family, context, p, false, false));
      case SUM -> m.getSum().getDataPointsList().forEach(p -> number(family, context, p, true, delta));
      case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(p -> histogram(family, context, p, delta));
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList()
          .forEach(p -> exponential(family, context, p, delta));
      case SUMMARY -> m.getSummary().getDataPointsList().forEach(p -> summary(family, context, p));
      case DATA_NOT_SET -> { }
    }
  }

  private record Context(ResourceLabels resource, ScopeLabels scope) {}

  /** The point's labels without a name, or null after reporting the point dropped. */
  private Map<String, String> base(Family family, Context c, List<io.opentelemetry.proto.common.v1.KeyValue> attrs) {
    try {
      return labelSets.series(attrs, RESERVED, c.resource(), c.scope(), true);
    } catch (IllegalArgumentException e) {
      sink.dropped(DropReason.INVALID_LABEL_NAME, family.metric.getName() + ": " + e.getMessage(), 1);
      return null;
    }
  }

  /** The point's exemplars, or null after reporting the point dropped. */
  private List<Exemplar> exemplars(Family family, List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars) {
    try {
      return Exemplars.of(exemplars);
    } catch (IllegalArgumentException e) {
      sink.dropped(DropReason.INVALID_EXEMPLAR, family.metric.getName() + ": " + e.getMessage(), 1);
      return null;
    }
  }

  private void number(Family family, Context c, NumberDataPoint p, boolean withExemplars, boolean delta) {
    Map<String, String> base = base(family, c, p.getAttributesList());
    if (base == null) {
      return;
    }
    // Gauges carry no exemplars in Prometheus; sums do, monotonic or not.
    List<Exemplar> exemplars = withExemplars ? exemplars(family, p.getExemplarsList()) : List.of();
    if (exemplars == null) {
      return;
    }
    Labels series = LabelSets.withName(base, family.name, null, null);
    double value = switch (p.getValueCase()) {
      case AS_DOUBLE -> p.getAsDouble();
      case AS_INT -> p.getAsInt();
      case VALUE_NOT_SET -> 0;
    };
    boolean stale = OtlpMetricsTranslator.noRecordedValue(p.getFlags());
    if (delta) {
      if (stale) {
        deltas.forget(series);
      } else if (Double.isNaN(value)) {
        sink.dropped(DropReason.DELTA_NOT_A_NUMBER, family.metric.getName(), 1);
        return;
      } else {
        OptionalDouble total = deltas.addSum(series, p.getStartTimeUnixNano(), p.getTimeUnixNano(), value);
        if (total.isEmpty()) {
          sink.dropped(DropReason.DELTA_OUT_OF_ORDER, family.metric.getName(), 1);
          return;
        }
        value = total.getAsDouble();
      }
    }
    family.sample(series, OtlpMetricsTranslator.millis(p.getTimeUnixNano()),
        stale ? io.sightline.core.model.StaleMarker.VALUE : value);
    for (Exemplar e : exemplars) {
      sink.exemplar(series, e);
    }
  }

  /**
   * {@code _sum} (if the point has one), {@code _count}, then one {@code _bucket} per bound with the cumulative count
   * and {@code le} as Go prints the bound, and {@code le="+Inf"} with the total count. Each exemplar goes to the
   * first bucket whose bound is not below its value.
   */
  private void histogram(Family family, Context c, HistogramDataPoint p, boolean delta) {
    Map<String, String> base = base(family, c, p.getAttributesList());
    if (base == null) {
      return;
    }
    List<Exemplar> exemplars = exemplars(family, p.getExemplarsList());
    if (exemplars == null) {
      return;
    }
    boolean stale = OtlpMetricsTranslator.noRecordedValue(p.getFlags());
    HistogramValues values = HistogramValues.of(p);
    if (delta) {
      Labels stream = LabelSets.withName(base, family.name, null, null);
      if (stale) {
        deltas.forget(stream);
      } else if (values.hasSum() && Double.isNaN(values.sum())) {
        sink.dropped(DropReason.DELTA_NOT_A_NUMBER, family.metric.getName(), 1);
        return;
      } else {
        values = deltas.addHistogram(stream, p.getStartTimeUnixNano(), p.getTimeUnixNano(), values);
        if (values == null) {
          sink.dropped(DropReason.DELTA_OUT_OF_ORDER, family.metric.getName(), 1);
          return;
        }
      }
    }
    long t = OtlpMetricsTranslator.millis(p.getTimeUnixNano());
    if (values.hasSum()) {
      family.sample(LabelSets.withName(base, family.name + "_sum", null, null), t,
          stale ? io.sightline.core.model.StaleMarker.VALUE : values.sum());
    }
    double count = stale ? io.sightline.core.model.StaleMarker.VALUE : unsigned(values.count());
    family.sample(LabelSets.withName(base, family.name + "_count", null, null), t, count);
    int buckets = Math.min(values.bounds().size(), values.bucketCounts().length);
    List<List<Exemplar>> byBucket = byBucket(exemplars, values.bounds(), buckets);
    String bucketName = family.name + "_bucket";
    long cumulative = 0;
    for (int i = 0; i < buckets; i++) {
      cumulative += values.bucketCounts()[i];
      Labels labels = LabelSets.withName(base, bucketName, "le", GoFloats.plain(values.bounds().get(i)));
      family.sample(labels, t, stale ? io.sightline.core.model.StaleMarker.VALUE : unsigned(cumulative));
      byBucket.get(i).forEach(e -> sink.exemplar(labels, e));
    }
    Labels inf = LabelSets.withName(base, bucketName, "le", "+Inf");
    family.sample(inf, t, count);
    byBucket.get(buckets).forEach(e -> sink.exemplar(inf, e));
  }

  /**
   * Exemplars by bucket, the last list for {@code +Inf}. Prometheus assumes exemplars arrive sorted by value and walks
   * them along the bounds; placing each by its own value gives the same result for sorted input and the right bucket
   * for any other. Within a bucket they go in time order, the order a series takes exemplars in.
   */
  private static List<List<Exemplar>> byBucket(List<Exemplar> exemplars, List<Double> bounds, int buckets) {
    List<List<Exemplar>> out = new ArrayList<>(buckets + 1);
    for (int i = 0; i <= buckets; i++) {
      out.add(new ArrayList<>(0));
    }
    for (Exemplar e : exemplars) {
      int i = 0;
      // "not above", rather than "at or below", so that a NaN lands where Prometheus puts it: the first bucket.
      while (i < buckets && e.value() > bounds.get(i)) {
        i++;
      }
      out.get(i).add(e);
    }
    out.forEach(list -> list.sort(BY_TIME));
    return out;
  }

  private void exponential(Family family, Context c, ExponentialHistogramDataPoint p, boolean delta) {
    Histogram h;
    try {
      h = ExponentialHistograms.toNative(p, delta);
    } catch (IllegalArgumentException e) {
      sink.dropped(DropReason.INVALID_EXPONENTIAL_HISTOGRAM, family.metric.getName() + ": " + e.getMessage(), 1);
      return;
    }
    Map<String, String> base = base(family, c, p.getAttributesList());
    if (base == null) {
      return;
    }
    List<Exemplar> exemplars = exemplars(family, p.getExemplarsList());
    if (exemplars == null) {
      return;
    }
    if (exemplars.size() > 1) {
      // A series takes exemplars in time order only; a reservoir hands them over in its own order.
      exemplars = exemplars.stream().sorted(BY_TIME).toList();
    }
    family.announce();
    sink.nativeHistogram(LabelSets.withName(base, family.name, null, null),
        OtlpMetricsTranslator.millis(p.getTimeUnixNano()), h, exemplars);
  }

  /** {@code _sum}, {@code _count}, then the series itself once per quantile, {@code quantile} as Go prints it. */
  private void summary(Family family, Context c, SummaryDataPoint p) {
    Map<String, String> base = base(family, c, p.getAttributesList());
    if (base == null) {
      return;
    }
    boolean stale = OtlpMetricsTranslator.noRecordedValue(p.getFlags());
    long t = OtlpMetricsTranslator.millis(p.getTimeUnixNano());
    family.sample(LabelSets.withName(base, family.name + "_sum", null, null), t,
        stale ? io.sightline.core.model.StaleMarker.VALUE : p.getSum());
    family.sample(LabelSets.withName(base, family.name + "_count", null, null), t,
        stale ? io.sightline.core.model.StaleMarker.VALUE : unsigned(p.getCount()));
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      family.sample(LabelSets.withName(base, family.name, "quantile", GoFloats.plain(q.getQuantile())), t,
          stale ? io.sightline.core.model.StaleMarker.VALUE : q.getValue());
    }
  }

  static MetricKind kind(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> MetricKind.GAUGE;
      case SUM -> m.getSum().getIsMonotonic() ? MetricKind.MONOTONIC_COUNTER : MetricKind.NON_MONOTONIC_COUNTER;
      case HISTOGRAM -> MetricKind.HISTOGRAM;
      case EXPONENTIAL_HISTOGRAM -> MetricKind.EXPONENTIAL_HISTOGRAM;
      case SUMMARY -> MetricKind.SUMMARY;
      case DATA_NOT_SET -> MetricKind.UNKNOWN;
    };
  }

  /**
   * The type in metadata, as Prometheus gives it, except for delta sums and histograms: they are made cumulative
   * here, so they are counters (or gauges) and histograms, where Prometheus, storing deltas as they are, says
   * {@code unknown}. Delta exponential histograms are stored as deltas and stay {@code unknown}.
   */
  static String prometheusType(Metric m, boolean delta) {
    return switch (m.getDataCase()) {
      case GAUGE -> "gauge";
      case SUM -> m.getSum().getIsMonotonic() ? "counter" : "gauge";
      case HISTOGRAM -> "histogram";
      case EXPONENTIAL_HISTOGRAM -> delta ? "unknown" : "histogram";
      case SUMMARY -> "summary";
      case DATA_NOT_SET -> "unknown";
    };
  }

  /** OTLP counts are unsigned 64-bit; as Go converts them, rounded to the nearest double. */
  static double unsigned(long v) {
    if (v >= 0) {
      return v;
    }
    return ((v >>> 1) | (v & 1)) * 2.0;
  }

  private static long[] timestamps(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsList().stream().mapToLong(NumberDataPoint::getTimeUnixNano).toArray();
      case SUM -> m.getSum().getDataPointsList().stream().mapToLong(NumberDataPoint::getTimeUnixNano).toArray();
      case HISTOGRAM -> m.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getTimeUnixNano)
          .toArray();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList().stream()
          .mapToLong(ExponentialHistogramDataPoint::getTimeUnixNano).toArray();
      case SUMMARY -> m.getSummary().getDataPointsList().stream().mapToLong(SummaryDataPoint::getTimeUnixNano)
          .toArray();
      case DATA_NOT_SET -> new long[0];
    };
  }

  private static int points(Metric m) {
    return io.sightline.collector.pipeline.Metrics.dataPointCount(m);
  }

  private static int points(ResourceMetrics rm) {
    return rm.getScopeMetricsList().stream().flatMap(sm -> sm.getMetricsList().stream())
        .mapToInt(TranslationRun::points).sum();
  }
}

package io.sightline.traceql.metrics;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.sightline.traceql.engine.MatchedSpan;
import io.sightline.traceql.engine.Matcher;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.Intrinsic;
import io.sightline.traceql.syntax.MetricsAggregate;
import io.sightline.traceql.syntax.MetricsFunction;
import io.sightline.traceql.syntax.Printer;
import io.sightline.traceql.syntax.SecondStage;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.StaticType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metrics query over one range: traces go in ({@link #observe}), series come out ({@link #results}). The spans of
 * the matching spansets whose start lies in (start, end] are sorted into series by their {@code by()} values (and the
 * power-of-two bucket for histograms and quantiles) and into step intervals. Not thread-safe.
 */
public final class Evaluation {
  static final String NAME_LABEL = "__name__";
  static final String BUCKET_LABEL = "__bucket";
  static final String QUANTILE_LABEL = "p";
  private static final double NANOS_PER_SECOND = 1e9;
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final Matcher matcher;
  private final MetricsAggregate aggregate;
  private final MetricsFunction function;
  private final List<SecondStage> second;
  private final RangeRequest request;
  private final Intervals intervals;
  /** Tempo's {@code 1 / step.Seconds()}, multiplied rather than divided by, as Tempo does. */
  private final double rateMultiplier;
  private final Map<List<Static>, Cells> series = new LinkedHashMap<>();
  private int exemplarTraces;
  private long inspectedTraces;
  private long inspectedSpans;

  Evaluation(Matcher matcher, MetricsAggregate aggregate, List<SecondStage> second, RangeRequest request) {
    this.matcher = matcher;
    this.aggregate = aggregate;
    this.function = aggregate.function();
    this.second = second;
    this.request = request;
    this.intervals = new Intervals(request);
    long step = request.stepNanos();
    this.rateMultiplier = 1.0 / (step / 1_000_000_000L + (step % 1_000_000_000L) / NANOS_PER_SECOND);
  }

  /** Evaluates the query's spanset part over one trace and counts its spans in. */
  public void observe(TracesData trace) {
    inspectedTraces++;
    boolean exemplar = !request.instant() && exemplarTraces < request.exemplars();
    boolean exemplarTaken = false;
    for (MatchedSpan s : matcher.match(trace)) {
      long start = s.startTimeUnixNano();
      if (start <= request.startNanos() || start > request.endNanos()) {
        continue;
      }
      int interval = intervals.of(start);
      if (interval < 0) {
        continue;
      }
      List<Static> key = groupKey(s);
      if (key == null) {
        continue;
      }
      inspectedSpans++;
      Cells cells = series.computeIfAbsent(key, k -> new Cells(function, intervals.count(), request));
      cells.observe(interval, spanValue(s));
      // Tempo samples one span of each trace (at random; here the first) until the request's count is reached.
      if (exemplar && !exemplarTaken) {
        exemplarTaken = true;
        exemplarTraces++;
        cells.exemplar(exemplarValue(s), start / NANOS_PER_MILLI,
            List.of(new Label("trace:id", Static.ofString(s.traceId())),
                new Label("span:id", Static.ofString(s.spanId()))));
      }
    }
  }

  public long inspectedTraces() {
    return inspectedTraces;
  }

  public long inspectedSpans() {
    return inspectedSpans;
  }

  /** The group-by values of a span, then its bucket for histograms and quantiles; null when the span is dropped. */
  private List<Static> groupKey(MatchedSpan s) {
    List<Static> key = new ArrayList<>(aggregate.by().size() + 1);
    for (Attribute a : aggregate.by()) {
      key.add(s.read(a));
    }
    if (function == MetricsFunction.HISTOGRAM_OVER_TIME || function == MetricsFunction.QUANTILE_OVER_TIME) {
      Static bucket = bucket(s);
      if (bucket == null) {
        return null;
      }
      key.add(bucket);
    }
    return key;
  }

  /** Tempo's bucketize functions: durations to seconds, ints as they are; floats and values below 2 have none. */
  private Static bucket(MatchedSpan s) {
    Attribute a = aggregate.attribute();
    if (a.intrinsic() == Intrinsic.DURATION) {
      long d = s.durationNanos();
      return d < 2 ? null : Static.ofFloat(Log2Histograms.bucketize(d) / NANOS_PER_SECOND);
    }
    Static v = s.read(a);
    double f = v.asDouble();
    if (Double.isNaN(f) || f < 2) {
      return null;
    }
    return switch (v.type()) {
      case INT -> Static.ofFloat(Log2Histograms.bucketize((long) f));
      case DURATION -> Static.ofFloat(Log2Histograms.bucketize((long) f) / NANOS_PER_SECOND);
      default -> null;
    };
  }

  /** The value a span contributes to sum, min, max and avg: a span's duration in seconds, else the number read. */
  private double spanValue(MatchedSpan s) {
    Attribute a = aggregate.attribute();
    if (a == null) {
      return Double.NaN;
    }
    if (a.intrinsic() == Intrinsic.DURATION) {
      return s.durationNanos() / NANOS_PER_SECOND;
    }
    return s.read(a).asDouble();
  }

  /** Counts carry a placeholder that takes the interval's value at the end, as in Tempo. */
  private double exemplarValue(MatchedSpan s) {
    return switch (function) {
      case RATE, COUNT_OVER_TIME, HISTOGRAM_OVER_TIME -> Double.NaN;
      default -> spanValue(s);
    };
  }

  /** The series, sorted as Tempo's frontend sorts them: by label count, then label by label. */
  public List<TimeSeries> results() {
    List<Computed> computed = function == MetricsFunction.QUANTILE_OVER_TIME ? quantiles() : simple();
    computed = SecondStages.apply(second, computed, intervals.count());
    List<TimeSeries> out = new ArrayList<>();
    ExemplarBuckets shared = ExemplarBuckets.of(request);
    for (Computed c : computed) {
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < c.values.length && i < intervals.count(); i++) {
        if (!Double.isNaN(c.values[i])) {
          samples.add(new Sample(Math.floorDiv(intervals.timestampOf(i), NANOS_PER_MILLI), c.values[i]));
        }
      }
      if (samples.isEmpty()) {
        continue;
      }
      List<Exemplar> exemplars = new ArrayList<>();
      ExemplarBuckets buckets = function == MetricsFunction.QUANTILE_OVER_TIME ? ExemplarBuckets.of(request) : shared;
      for (Exemplar e : c.exemplars) {
        int i = intervals.ofMs(e.timestampMs());
        if (i < 0 || i >= c.values.length || Double.isNaN(c.values[i]) || buckets.full()) {
          continue;
        }
        if (!buckets.add(e.timestampMs())) {
          continue;
        }
        exemplars.add(Double.isNaN(e.value()) ? new Exemplar(e.labels(), c.values[i], e.timestampMs()) : e);
      }
      exemplars.sort(java.util.Comparator.comparingLong(Exemplar::timestampMs));
      out.add(new TimeSeries(c.labels, samples, exemplars));
    }
    out.sort(Evaluation::compareSeries);
    return out;
  }

  private List<Computed> simple() {
    List<Computed> out = new ArrayList<>();
    for (Map.Entry<List<Static>, Cells> e : series.entrySet()) {
      out.add(new Computed(labels(e.getKey()), e.getValue().values(rateMultiplier), e.getValue().exemplars()));
    }
    return out;
  }

  /**
   * Tempo's {@code HistogramAggregator}: the bucket series of each label set become one series per quantile, each
   * interval's value read from that interval's buckets (0 when it has none). Exemplars go to the quantile whose value
   * over the whole range is closest to theirs.
   */
  private List<Computed> quantiles() {
    Map<List<Label>, List<Map.Entry<Double, Cells>>> groups = new LinkedHashMap<>();
    Map<Double, Long> overall = new java.util.TreeMap<>();
    for (Map.Entry<List<Static>, Cells> e : series.entrySet()) {
      List<Static> key = e.getKey();
      List<Label> withoutBucket = byLabels(key);
      double bucket = key.getLast().asDouble();
      groups.computeIfAbsent(withoutBucket, k -> new ArrayList<>()).add(Map.entry(bucket, e.getValue()));
      for (double c : e.getValue().values(rateMultiplier)) {
        overall.merge(bucket, (long) c, Long::sum);
      }
    }
    List<Log2Histograms.Bucket> all = new ArrayList<>();
    overall.forEach((max, count) -> all.add(new Log2Histograms.Bucket(max, count)));
    List<Double> qs = aggregate.quantiles();
    double[] overallValues = new double[qs.size()];
    for (int i = 0; i < qs.size(); i++) {
      overallValues[i] = Log2Histograms.quantile(qs.get(i), all);
    }
    List<Computed> out = new ArrayList<>();
    for (Map.Entry<List<Label>, List<Map.Entry<Double, Cells>>> g : groups.entrySet()) {
      int n = intervals.count();
      List<List<Log2Histograms.Bucket>> perInterval = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        perInterval.add(new ArrayList<>());
      }
      List<Exemplar> exemplars = new ArrayList<>();
      for (Map.Entry<Double, Cells> b : g.getValue()) {
        double[] counts = b.getValue().values(rateMultiplier);
        for (int i = 0; i < n; i++) {
          if (counts[i] != 0) {
            perInterval.get(i).add(new Log2Histograms.Bucket(b.getKey(), (long) counts[i]));
          }
        }
        exemplars.addAll(b.getValue().exemplars());
      }
      perInterval.forEach(l -> l.sort(java.util.Comparator.comparingDouble(Log2Histograms.Bucket::max)));
      for (int q = 0; q < qs.size(); q++) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
          values[i] = perInterval.get(i).isEmpty() ? 0 : Log2Histograms.quantile(qs.get(q), perInterval.get(i));
        }
        List<Label> labels = new ArrayList<>(g.getKey());
        labels.add(new Label(QUANTILE_LABEL, Static.ofFloat(qs.get(q))));
        List<Exemplar> mine = new ArrayList<>();
        for (Exemplar e : exemplars) {
          if (closest(e.value(), overallValues, all.isEmpty()) == q) {
            mine.add(e);
          }
        }
        out.add(new Computed(labels, values, mine));
      }
    }
    return out;
  }

  private static int closest(double value, double[] quantileValues, boolean noBuckets) {
    if (quantileValues.length == 0 || noBuckets) {
      return -1;
    }
    int best = -1;
    double bestDiff = Double.POSITIVE_INFINITY;
    for (int i = 0; i < quantileValues.length; i++) {
      double diff = Math.abs(value - quantileValues[i]);
      if (diff < bestDiff) {
        bestDiff = diff;
        best = i;
      }
    }
    return best;
  }

  /**
   * Tempo's series labels: one per non-nil {@code by()} value, named as TraceQL prints the attribute; when all are nil,
   * the first with nil; without {@code by()}, {@code __name__} = the function. The bucket comes last.
   */
  private List<Label> labels(List<Static> key) {
    List<Attribute> by = aggregate.by();
    List<Label> labels = byLabels(key);
    if (function == MetricsFunction.HISTOGRAM_OVER_TIME) {
      labels.add(new Label(BUCKET_LABEL, key.getLast()));
    }
    if (labels.isEmpty()) {
      labels.add(by.isEmpty() ? new Label(NAME_LABEL, Static.ofString(function.keyword()))
          : new Label(Printer.print(by.getFirst()), Static.NIL));
    }
    return labels;
  }

  /** The non-nil {@code by()} labels alone: what a quantile series keeps of its bucket series, nothing forced. */
  private List<Label> byLabels(List<Static> key) {
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < aggregate.by().size(); i++) {
      if (!key.get(i).isNil()) {
        labels.add(new Label(Printer.print(aggregate.by().get(i)), key.get(i)));
      }
    }
    return labels;
  }

  private static int compareSeries(TimeSeries a, TimeSeries b) {
    if (a.labels().size() != b.labels().size()) {
      return Integer.compare(a.labels().size(), b.labels().size());
    }
    for (int i = 0; i < a.labels().size(); i++) {
      Label la = a.labels().get(i);
      Label lb = b.labels().get(i);
      int c = la.name().compareTo(lb.name());
      if (c != 0) {
        return c;
      }
      c = valueText(la.value()).compareTo(valueText(lb.value()));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Tempo compares label values by their protobuf text, which for one type orders as the values' text does. */
  static String valueText(Static v) {
    return v.type() + ":" + (v.type() == StaticType.STRING ? v.asString() : Printer.print(v));
  }

  /** A series before it becomes samples: labels, one value per interval (NaN for none), exemplars. */
  static final class Computed {
    final List<Label> labels;
    final double[] values;
    final List<Exemplar> exemplars;

    Computed(List<Label> labels, double[] values, List<Exemplar> exemplars) {
      this.labels = labels;
      this.values = values;
      this.exemplars = exemplars;
    }
  }
}

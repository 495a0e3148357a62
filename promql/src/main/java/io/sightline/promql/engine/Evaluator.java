package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.StaleMarker;
import io.sightline.metricstore.Querier;
import io.sightline.metricstore.SampleIterator;
import io.sightline.metricstore.Series;
import io.sightline.promql.functions.FloatWindows;
import io.sightline.promql.functions.Output;
import io.sightline.promql.functions.RangeFunctions;
import io.sightline.promql.functions.Window;
import io.sightline.promql.parser.AggregateExpr;
import io.sightline.promql.parser.At;
import io.sightline.promql.parser.BinaryExpr;
import io.sightline.promql.parser.Call;
import io.sightline.promql.parser.Expr;
import io.sightline.promql.parser.MatrixSelector;
import io.sightline.promql.parser.NumberLiteral;
import io.sightline.promql.parser.ParenExpr;
import io.sightline.promql.parser.StringLiteral;
import io.sightline.promql.parser.Subquery;
import io.sightline.promql.parser.UnaryExpr;
import io.sightline.promql.parser.ValueType;
import io.sightline.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression at every step of {@code [start, end]} at once, as Prometheus' {@code evaluator} does: each
 * node yields series of points on the step grid, and operators and functions combine them step by step
 * ({@link #stepwise}). Functions over range vectors walk each series' samples once with a sliding window.
 */
final class Evaluator {
  /** The default subquery resolution when none is written: Prometheus' default evaluation interval. */
  static final long DEFAULT_SUBQUERY_STEP_MS = 60_000;

  final Querier querier;
  final long start;
  final long end;
  final long interval;
  final long lookback;
  final Limits limits;
  final Annotations annotations;
  /** The outermost query's start and end, which {@code @ start()} and {@code @ end()} refer to. */
  final long queryStart;
  final long queryEnd;
  /** The outermost query's step, which {@code step()} returns. */
  final long queryStep;

  Evaluator(Querier querier, long start, long end, long interval, long lookback, Limits limits,
      Annotations annotations, long queryStart, long queryEnd, long queryStep) {
    this.querier = querier;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.lookback = lookback;
    this.limits = limits;
    this.annotations = annotations;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.queryStep = queryStep;
  }

  int stepCount() {
    return (int) ((end - start) / interval) + 1;
  }

  /** A scalar or instant-vector expression as series on the step grid. */
  List<Steps> eval(Expr expr) throws QueryException {
    limits.check();
    return switch (expr) {
      case NumberLiteral n -> List.of(constant(n.value()));
      case StringLiteral s -> throw new QueryException(QueryException.Kind.EXECUTION,
          "string literal evaluated as a vector");
      case ParenExpr p -> eval(p.expr());
      case VectorSelector v -> selectVector(v);
      case UnaryExpr u -> negate(eval(u.expr()));
      case BinaryExpr b -> BinaryOperations.eval(this, b);
      case Call c -> FunctionCalls.eval(this, c);
      case AggregateExpr a -> Aggregations.eval(this, a);
      case MatrixSelector m -> throw new QueryException(QueryException.Kind.EXECUTION,
          "range vector evaluated as an instant vector");
      case Subquery s -> throw new QueryException(QueryException.Kind.EXECUTION,
          "subquery evaluated as an instant vector");
    };
  }

  Steps constant(double v) {
    Steps s = new Steps(Labels.EMPTY, false, stepCount());
    for (long t = start; t <= end; t += interval) {
      s.add(t, v, null);
    }
    return s;
  }

  private List<Steps> negate(List<Steps> in) {
    for (Steps s : in) {
      s.dropName = true;
      for (int i = 0; i < s.count; i++) {
        Histogram h = s.histogram(i);
        if (h != null) {
          s.histograms[i] = HistogramMath.scale(h, -1);
        } else {
          s.values[i] = -s.values[i];
        }
      }
    }
    return in;
  }

  // ---- selectors ----

  /** The reference time of a selector at step {@code t}: its {@code @} time or the step, minus its offset. */
  long refTime(long t, At at, long offset) {
    return (at == null ? t : atTime(at)) - offset;
  }

  long atTime(At at) {
    return switch (at.kind()) {
      case START -> queryStart;
      case END -> queryEnd;
      case TIMESTAMP -> at.timestampMs();
    };
  }

  /** The raw samples of the series a selector picks in {@code [mint, maxt]}: stale markers kept. */
  List<Steps> load(List<LabelMatcher> matchers, long mint, long maxt) throws QueryException {
    List<Series> selected = querier.select(matchers, mint, maxt);
    return Parallel.map(selected.size(), (from, to) -> {
      List<Steps> out = new ArrayList<>();
      for (Series series : selected.subList(from, to)) {
        Steps s = new Steps(series.labels(), false, 16);
        SampleIterator it = series.iterator(mint, maxt);
        while (it.next()) {
          s.add(it.timestamp(), it.value(), it.histogram());
        }
        limits.addSamples(s.count);
        if (s.count > 0) {
          out.add(s);
        }
        limits.check();
      }
      return out;
    });
  }

  /**
   * Streams each series' samples once: at every step, the newest sample at or before the step's reference time
   * counts if it lies within the lookback window and is not a stale marker.
   */
  private List<Steps> selectVector(VectorSelector v) throws QueryException {
    long first = refTime(start, v.at(), v.offsetMs());
    long last = refTime(end, v.at(), v.offsetMs());
    long mint = first - lookback + 1;
    int capacity = Math.min(stepCount(), 64);
    List<Series> selected = querier.select(v.matchers(), mint, last);
    return Parallel.map(selected.size(), (from, to) -> {
      List<Steps> out = new ArrayList<>();
      for (Series series : selected.subList(from, to)) {
        SampleIterator it = series.iterator(mint, last);
        boolean more = it.next();
        boolean have = false;
        long lastT = 0;
        double lastV = 0;
        Histogram lastH = null;
        Steps s = null;
        for (long t = start; t <= end; t += interval) {
          long ref = refTime(t, v.at(), v.offsetMs());
          while (more && it.timestamp() <= ref) {
            lastT = it.timestamp();
            lastV = it.value();
            lastH = it.histogram();
            have = true;
            more = it.next();
          }
          if (have && lastT > ref - lookback && !(lastH != null ? lastH.isStaleMarker() : StaleMarker.is(lastV))) {
            if (s == null) {
              s = new Steps(series.labels(), false, capacity);
            }
            s.add(t, lastV, lastH);
          }
        }
        if (s != null) {
          limits.addSamples(s.count);
          out.add(s);
        }
        limits.check();
      }
      return out;
    });
  }

  /** {@code timestamp(selector)}: the time of the sample each step picks, not the step's. */
  List<Steps> selectTimestamps(VectorSelector v) throws QueryException {
    List<Steps> values = selectVector(v);
    long first = refTime(start, v.at(), v.offsetMs());
    long last = refTime(end, v.at(), v.offsetMs());
    List<Steps> raw = load(v.matchers(), first - lookback + 1, last);
    Map<Labels, Steps> byLabels = new HashMap<>();
    for (Steps r : raw) {
      byLabels.put(r.labels, r);
    }
    for (Steps s : values) {
      Steps r = byLabels.get(s.labels);
      int i = 0;
      for (int p = 0; p < s.count; p++) {
        long ref = refTime(s.times[p], v.at(), v.offsetMs());
        while (i < r.count && r.times[i] <= ref) {
          i++;
        }
        s.values[p] = r.times[i - 1] / 1000.0;
        if (s.histograms != null) {
          s.histograms[p] = null;
        }
      }
      s.dropName = true;
    }
    return values;
  }

  static boolean isStale(Steps s, int i) {
    Histogram h = s.histogram(i);
    return h != null ? h.isStaleMarker() : StaleMarker.is(s.values[i]);
  }

  // ---- range vectors ----

  /**
   * The series of a range-vector expression with samples around the query, and how to place the window for each
   * step: a matrix selector's samples from the store, or a subquery's points from a nested evaluation.
   */
  record RangeInput(List<Steps> series, long rangeMs, long offsetMs, At at) {}

  RangeInput rangeInput(Expr expr) throws QueryException {
    return switch (expr) {
      case MatrixSelector m -> {
        VectorSelector v = m.selector();
        long first = refTime(start, v.at(), v.offsetMs());
        long last = refTime(end, v.at(), v.offsetMs());
        yield new RangeInput(load(v.matchers(), first - m.rangeMs() + 1, last), m.rangeMs(), v.offsetMs(), v.at());
      }
      case Subquery s -> new RangeInput(subquery(s), s.rangeMs(), s.offsetMs(), s.at());
      case ParenExpr p -> rangeInput(p.expr());
      default -> throw new QueryException(QueryException.Kind.EXECUTION, "expected a range vector");
    };
  }

  /** The inner expression at every multiple of the subquery's step that any window of this query can see. */
  private List<Steps> subquery(Subquery s) throws QueryException {
    long step = s.stepMs() > 0 ? s.stepMs() : DEFAULT_SUBQUERY_STEP_MS;
    long first = refTime(start, s.at(), s.offsetMs()) - s.rangeMs();
    long last = refTime(end, s.at(), s.offsetMs());
    long innerStart = step * Math.floorDiv(first, step);
    if (innerStart <= first) {
      innerStart += step;
    }
    if (innerStart > last) {
      return List.of();
    }
    limits.checkSteps((last - innerStart) / step + 1);
    Evaluator inner = new Evaluator(querier, innerStart, last, step, lookback, limits, annotations, queryStart,
        queryEnd, queryStep);
    List<Steps> series = inner.eval(s.expr());
    for (Steps x : series) {
      x.rewind();
      // A subquery may repeat the sample where a counter reset happened, or skip it: its reset hints would
      // mislead, so they become "unknown" and resets are found by comparing counts, as Prometheus does.
      for (int i = 0; i < x.count; i++) {
        Histogram h = x.histogram(i);
        if (h != null && (h.resetHint() == Histogram.ResetHint.YES || h.resetHint() == Histogram.ResetHint.NO)) {
          x.histograms[i] = io.sightline.promql.functions.HistogramArithmetic.withHint(h,
              Histogram.ResetHint.UNKNOWN);
        }
      }
    }
    return series;
  }

  /**
   * Calls a range function for every series and step. {@code scalarArgs} are the function's other arguments, one
   * value per step.
   */
  List<Steps> overWindows(String function, RangeInput input, List<double[]> scalarArgs, boolean keepName)
      throws QueryException {
    List<Steps> all = input.series();
    return Parallel.map(all.size(), (from, to) -> windows(function, input, all.subList(from, to), scalarArgs,
        keepName));
  }

  /** {@link #overWindows} for some of the series, with this thread's own window and output. */
  private List<Steps> windows(String function, RangeInput input, List<Steps> part, List<double[]> scalarArgs,
      boolean keepName) throws QueryException {
    List<Steps> out = new ArrayList<>();
    Window window = new Window();
    Output result = new Output();
    double[] scalars = new double[scalarArgs.size()];
    boolean floatFunction = FloatWindows.handles(function);
    for (Steps raw : part) {
      // A float series is cleared of its stale markers once; then each step's window is one block copy.
      Steps series = raw.histograms == null ? withoutStaleMarkers(raw) : raw;
      boolean floatsOnly = series.histograms == null;
      Steps s = new Steps(series.labels, !keepName || series.dropName, Math.min(stepCount(), 64));
      window.labels = series.labels;
      window.rangeMs = input.rangeMs();
      int lo = 0;
      int hi = 0;
      int step = 0;
      for (long t = start; t <= end; t += interval, step++) {
        long ref = refTime(t, input.at(), input.offsetMs());
        while (lo < series.count && series.times[lo] <= ref - input.rangeMs()) {
          lo++;
        }
        hi = Math.max(hi, lo);
        while (hi < series.count && series.times[hi] <= ref) {
          hi++;
        }
        window.clear();
        window.evalTime = ref;
        if (floatsOnly) {
          window.addFloats(series.times, series.values, lo, hi - lo);
        }
        for (int i = floatsOnly ? hi : lo; i < hi; i++) {
          if (isStale(series, i)) {
            continue;
          }
          Histogram h = series.histogram(i);
          if (h != null) {
            window.addHistogram(series.times[i], h);
          } else {
            window.addFloat(series.times[i], series.values[i]);
          }
        }
        if (window.isEmpty()) {
          continue;
        }
        for (int a = 0; a < scalars.length; a++) {
          scalars[a] = scalarArgs.get(a)[step];
        }
        result.reset();
        try {
          if (window.histogramCount == 0 && floatFunction) {
            FloatWindows.eval(function, window, scalars, t, result, annotations);
          } else {
            RangeFunctions.eval(function, window, scalars, result, annotations);
          }
        } catch (IllegalArgumentException e) {
          throw new QueryException(QueryException.Kind.EXECUTION, e.getMessage());
        }
        if (result.present) {
          s.add(t, result.value, result.histogram);
        }
      }
      limits.addSamples(s.count);
      if (s.count > 0) {
        out.add(s);
      }
      limits.check();
    }
    return out;
  }

  /** The series itself when it holds no stale marker, else a copy without them. */
  private static Steps withoutStaleMarkers(Steps series) {
    int stale = 0;
    for (int i = 0; i < series.count; i++) {
      if (StaleMarker.is(series.values[i])) {
        stale++;
      }
    }
    if (stale == 0) {
      return series;
    }
    Steps copy = new Steps(series.labels, series.dropName, series.count - stale);
    for (int i = 0; i < series.count; i++) {
      if (!StaleMarker.is(series.values[i])) {
        copy.add(series.times[i], series.values[i], null);
      }
    }
    return copy;
  }

  // ---- step by step ----

  /** What an operator or function computes at one step from its arguments' vectors. */
  interface StepFunction {
    List<El> apply(long t, List<List<El>> args) throws QueryException;
  }

  /**
   * Evaluates {@code args} and calls {@code f} at every step with their vectors there, collecting the results into
   * series; two results with the same labels at one step are an error, as in Prometheus.
   */
  List<Steps> stepwise(List<Expr> args, StepFunction f) throws QueryException {
    List<List<Steps>> inputs = new ArrayList<>(args.size());
    for (Expr a : args) {
      inputs.add(a == null || a.type() == ValueType.STRING ? List.of() : eval(a));
    }
    return stepwiseOver(inputs, f);
  }

  List<Steps> stepwiseOver(List<List<Steps>> inputs, StepFunction f) throws QueryException {
    Map<Labels, Steps> out = new HashMap<>();
    List<Steps> order = new ArrayList<>();
    List<List<El>> vectors = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      vectors.add(new ArrayList<>());
    }
    for (List<Steps> in : inputs) {
      for (Steps s : in) {
        s.rewind();
      }
    }
    for (long t = start; t <= end; t += interval) {
      limits.check();
      for (int i = 0; i < inputs.size(); i++) {
        List<El> v = vectors.get(i);
        v.clear();
        for (Steps s : inputs.get(i)) {
          int p = s.takeAt(t);
          if (p >= 0) {
            v.add(new El(s.labels, s.values[p], s.histogram(p), s.dropName));
          }
        }
      }
      List<El> result = f.apply(t, vectors);
      for (El e : result) {
        Steps s = out.get(e.labels());
        if (s == null) {
          s = new Steps(e.labels(), e.dropName(), Math.min(stepCount(), 64));
          out.put(e.labels(), s);
          order.add(s);
        } else if (s.count > 0 && s.times[s.count - 1] == t) {
          throw new QueryException(QueryException.Kind.EXECUTION,
              "vector cannot contain metrics with the same labelset");
        }
        s.add(t, e.value(), e.histogram());
      }
      limits.addSamples(result.size());
    }
    return order;
  }

  /** A scalar argument's value at each step. */
  double[] scalarPerStep(Expr e) throws QueryException {
    List<Steps> s = eval(e);
    double[] out = new double[stepCount()];
    java.util.Arrays.fill(out, Double.NaN);
    if (!s.isEmpty()) {
      Steps only = s.get(0);
      for (int i = 0; i < only.count; i++) {
        out[(int) ((only.times[i] - start) / interval)] = only.values[i];
      }
    }
    return out;
  }
}

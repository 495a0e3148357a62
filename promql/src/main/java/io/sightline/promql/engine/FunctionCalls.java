package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.LabelMatcher;
import io.sightline.core.model.Labels;
import io.sightline.core.model.RegexTemplate;
import io.sightline.promql.functions.ClassicBuckets;
import io.sightline.promql.functions.NativeHistograms;
import io.sightline.promql.parser.Call;
import io.sightline.promql.parser.Expr;
import io.sightline.promql.parser.MatrixSelector;
import io.sightline.promql.parser.ParenExpr;
import io.sightline.promql.parser.StringLiteral;
import io.sightline.promql.parser.Subquery;
import io.sightline.promql.parser.ValueType;
import io.sightline.promql.parser.VectorSelector;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Calls of PromQL functions: range functions go to {@link io.sightline.promql.functions.RangeFunctions} per series
 * and window; the others are computed here step by step, as Prometheus' {@code FunctionCalls} table does.
 */
final class FunctionCalls {
  private FunctionCalls() {}

  private static final Map<String, DoubleUnaryOperator> MATH = Map.ofEntries(
      Map.entry("abs", Math::abs), Map.entry("ceil", Math::ceil), Map.entry("floor", Math::floor),
      Map.entry("exp", Math::exp), Map.entry("sqrt", Math::sqrt), Map.entry("ln", Math::log),
      Map.entry("log2", v -> Math.log(v) / Math.log(2)), Map.entry("log10", Math::log10),
      Map.entry("sin", Math::sin), Map.entry("cos", Math::cos), Map.entry("tan", Math::tan),
      Map.entry("asin", Math::asin), Map.entry("acos", Math::acos), Map.entry("atan", Math::atan),
      Map.entry("sinh", Math::sinh), Map.entry("cosh", Math::cosh), Map.entry("tanh", Math::tanh),
      Map.entry("asinh", FunctionCalls::asinh), Map.entry("acosh", FunctionCalls::acosh),
      Map.entry("atanh", FunctionCalls::atanh), Map.entry("deg", v -> v * 180 / Math.PI),
      Map.entry("rad", v -> v * Math.PI / 180), Map.entry("sgn", Math::signum));

  static List<Steps> eval(Evaluator ev, Call c) throws QueryException {
    String name = c.function().name();
    List<Expr> args = c.args();
    int matrixArg = -1;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).type() == ValueType.MATRIX) {
        matrixArg = i;
      }
    }
    if (matrixArg >= 0) {
      return rangeFunction(ev, c, matrixArg);
    }
    if (name.equals("sort") || name.equals("sort_desc") || name.startsWith("sort_by_label")) {
      if (ev.start != ev.end) {
        ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels");
      }
    }
    switch (name) {
      case "timestamp" -> {
        if (unwrap(args.get(0)) instanceof VectorSelector v) {
          return ev.selectTimestamps(v);
        }
        return ev.stepwise(args, (t, a) -> map(a.get(0), e -> new El(e.labels(), t / 1000.0, null, true)));
      }
      case "label_replace" -> {
        return labelReplace(ev, args);
      }
      case "label_join" -> {
        return labelJoin(ev, args);
      }
      case "info" -> {
        return InfoFunction.eval(ev, args);
      }
      case "time" -> {
        return List.of(stepTimes(ev));
      }
      case "pi" -> {
        return List.of(ev.constant(Math.PI));
      }
      // The query's own range, constant through it (sub-queries included), as Prometheus folds them.
      case "start" -> {
        return List.of(ev.constant(ev.queryStart / 1000.0));
      }
      case "end" -> {
        return List.of(ev.constant(ev.queryEnd / 1000.0));
      }
      case "range" -> {
        return List.of(ev.constant((ev.queryEnd - ev.queryStart) / 1000.0));
      }
      case "step" -> {
        return List.of(ev.constant(ev.queryStart == ev.queryEnd ? 0 : ev.queryStep / 1000.0));
      }
      case "max_of", "min_of" -> {
        boolean max = name.equals("max_of");
        return ev.stepwise(args, (t, a) -> {
          double x = a.get(0).get(0).value();
          double y = a.get(1).get(0).value();
          return List.of(new El(Labels.EMPTY, max ? Math.max(x, y) : Math.min(x, y), null, false));
        });
      }
      case "histogram_quantiles" -> {
        return HistogramQuantile.quantiles(ev, args);
      }
      case "scalar" -> {
        List<Steps> in = ev.eval(args.get(0));
        Steps out = new Steps(Labels.EMPTY, false, ev.stepCount());
        List<List<Steps>> inputs = List.of(in);
        ev.stepwiseOver(inputs, (t, a) -> {
          List<El> v = a.get(0);
          // only float samples count: one float among histograms is still a scalar
          El only = null;
          int floats = 0;
          for (El e : v) {
            if (e.histogram() == null) {
              floats++;
              only = e;
            }
          }
          out.add(t, floats == 1 ? only.value() : Double.NaN, null);
          return List.of();
        });
        return List.of(out);
      }
      case "vector" -> {
        return ev.stepwise(args, (t, a) -> List.of(new El(Labels.EMPTY, a.get(0).get(0).value(), null, false)));
      }
      case "absent" -> {
        Labels labels = absentLabels(args.get(0));
        return ev.stepwise(args, (t, a) -> a.get(0).isEmpty() ? List.of(new El(labels, 1, null, true)) : List.of());
      }
      default -> { }
    }
    DoubleUnaryOperator math = MATH.get(name);
    if (math != null) {
      return ev.stepwise(args, (t, a) -> floats(a.get(0), e -> e.withValue(math.applyAsDouble(e.value()))));
    }
    return switch (name) {
      case "round" -> ev.stepwise(args, (t, a) -> {
        double nearest = a.size() > 1 ? a.get(1).get(0).value() : 1;
        double inverse = 1.0 / nearest;
        return floats(a.get(0), e -> e.withValue(Math.floor(e.value() * inverse + 0.5) / inverse));
      });
      case "clamp" -> ev.stepwise(args, (t, a) -> {
        double min = a.get(1).get(0).value();
        double max = a.get(2).get(0).value();
        if (max < min) {
          return List.of();
        }
        return floats(a.get(0), e -> e.withValue(Math.max(min, Math.min(max, e.value()))));
      });
      case "clamp_min" -> ev.stepwise(args, (t, a) -> {
        double min = a.get(1).get(0).value();
        return floats(a.get(0), e -> e.withValue(Math.max(min, e.value())));
      });
      case "clamp_max" -> ev.stepwise(args, (t, a) -> {
        double max = a.get(1).get(0).value();
        return floats(a.get(0), e -> e.withValue(Math.min(max, e.value())));
      });
      case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year" ->
          dateFunction(ev, name, args);
      case "sort", "sort_desc" -> ev.stepwise(args, (t, a) -> sortByValue(a.get(0), name.equals("sort_desc")));
      case "sort_by_label", "sort_by_label_desc" -> {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
          labels.add(string(args.get(i)));
        }
        boolean desc = name.endsWith("_desc");
        yield ev.stepwise(args.subList(0, 1), (t, a) -> {
          List<El> v = new ArrayList<>(a.get(0));
          Comparator<El> cmp = (x, y) -> {
            for (String l : labels) {
              int r = NaturalOrder.compare(x.labels().get(l), y.labels().get(l));
              if (r != 0) {
                return r;
              }
            }
            return x.labels().compareTo(y.labels()); // ties in the named labels: by all labels
          };
          v.sort(desc ? cmp.reversed() : cmp);
          return v;
        });
      }
      case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar" ->
          ev.stepwise(args, (t, a) -> {
            List<El> out = new ArrayList<>();
            for (El e : a.get(0)) {
              Histogram h = e.histogram();
              if (h == null) {
                continue;
              }
              double v = switch (name) {
                case "histogram_count" -> h.count();
                case "histogram_sum" -> h.sum();
                case "histogram_avg" -> h.sum() / h.count();
                case "histogram_stdvar" -> NativeHistograms.stdvar(h);
                default -> Math.sqrt(NativeHistograms.stdvar(h));
              };
              out.add(new El(e.labels(), v, null, true));
            }
            return out;
          });
      case "histogram_quantile" -> HistogramQuantile.quantile(ev, args);
      case "histogram_fraction" -> HistogramQuantile.fraction(ev, args);
      default -> throw new QueryException(QueryException.Kind.EXECUTION,
          "function \"" + name + "\" is not supported yet");
    };
  }

  private static Expr unwrap(Expr e) {
    return e instanceof ParenExpr p ? unwrap(p.expr()) : e;
  }

  static String string(Expr e) {
    return ((StringLiteral) unwrap(e)).value();
  }

  private interface ElFunction {
    El apply(El e);
  }

  /** Applies {@code f} to the float samples, dropping the name; histogram samples are left out. */
  private static List<El> floats(List<El> in, ElFunction f) {
    List<El> out = new ArrayList<>(in.size());
    for (El e : in) {
      if (e.histogram() == null) {
        out.add(f.apply(e).droppingName());
      }
    }
    return out;
  }

  private static List<El> map(List<El> in, ElFunction f) {
    List<El> out = new ArrayList<>(in.size());
    for (El e : in) {
      El r = f.apply(e);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  private static Steps stepTimes(Evaluator ev) {
    Steps s = new Steps(Labels.EMPTY, false, ev.stepCount());
    for (long t = ev.start; t <= ev.end; t += ev.interval) {
      s.add(t, t / 1000.0, null);
    }
    return s;
  }

  private static List<Steps> rangeFunction(Evaluator ev, Call c, int matrixArg) throws QueryException {
    String name = c.function().name();
    Evaluator.RangeInput input = ev.rangeInput(c.args().get(matrixArg));
    List<double[]> scalars = new ArrayList<>();
    for (int i = 0; i < c.args().size(); i++) {
      if (i != matrixArg) {
        scalars.add(ev.scalarPerStep(c.args().get(i)));
      }
    }
    boolean keepName = name.equals("last_over_time") || name.equals("first_over_time");
    if (name.equals("quantile_over_time")) {
      for (double q : scalars.get(0)) {
        if (Double.isNaN(q) || q < 0 || q > 1) {
          ev.annotations.warn("quantile value should be between 0 and 1, got "
              + io.sightline.core.model.GoFormat.plain(q));
        }
      }
    }
    List<Steps> out = ev.overWindows(name, input, scalars, keepName);
    if ((name.equals("rate") || name.equals("increase")) && unwrap(c.args().get(matrixArg)) instanceof MatrixSelector) {
      for (Steps s : input.series()) {
        String metric = s.labels.metricName();
        if (!metric.isEmpty() && !metric.endsWith("_total") && !metric.endsWith("_sum") && !metric.endsWith("_count")
            && !metric.endsWith("_bucket") && hasFloats(s)) {
          ev.annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
              + metric + "\"");
        }
      }
    }
    if (name.equals("absent_over_time")) {
      return absentOverTime(ev, c.args().get(matrixArg), out);
    }
    return out;
  }

  private static boolean hasFloats(Steps s) {
    for (int i = 0; i < s.count; i++) {
      if (s.histogram(i) == null) {
        return true;
      }
    }
    return false;
  }

  private static List<Steps> absentOverTime(Evaluator ev, Expr arg, List<Steps> present) {
    java.util.Set<Long> found = new java.util.HashSet<>();
    for (Steps s : present) {
      for (int i = 0; i < s.count; i++) {
        found.add(s.times[i]);
      }
    }
    Steps out = new Steps(absentLabels(arg), true, 4);
    for (long t = ev.start; t <= ev.end; t += ev.interval) {
      if (!found.contains(t)) {
        out.add(t, 1, null);
      }
    }
    return out.count == 0 ? List.of() : List.of(out);
  }

  /** The labels {@code absent} reports: the selector's equality matchers, a name matched twice left out. */
  static Labels absentLabels(Expr arg) {
    Expr e = unwrap(arg);
    List<LabelMatcher> matchers;
    if (e instanceof VectorSelector v) {
      matchers = v.matchers();
    } else if (e instanceof MatrixSelector m) {
      matchers = m.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    java.util.Set<String> has = new java.util.HashSet<>();
    for (LabelMatcher m : matchers) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == LabelMatcher.Type.EQUAL && has.add(m.name())) {
        b.set(m.name(), m.value());
      } else {
        b.delete(m.name());
      }
    }
    return b.build();
  }

  private static List<Steps> dateFunction(Evaluator ev, String name, List<Expr> args) throws QueryException {
    if (args.isEmpty()) {
      Steps s = new Steps(Labels.EMPTY, false, ev.stepCount());
      for (long t = ev.start; t <= ev.end; t += ev.interval) {
        s.add(t, datePart(name, Math.floorDiv(t, 1000)), null);
      }
      return List.of(s);
    }
    return ev.stepwise(args, (t, a) -> floats(a.get(0), e -> e.withValue(datePart(name, (long) e.value()))));
  }

  private static double datePart(String name, long epochSeconds) {
    ZonedDateTime d = Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
    return switch (name) {
      case "day_of_month" -> d.getDayOfMonth();
      case "day_of_week" -> d.getDayOfWeek().getValue() % 7;
      case "day_of_year" -> d.getDayOfYear();
      case "days_in_month" -> d.toLocalDate().lengthOfMonth();
      case "hour" -> d.getHour();
      case "minute" -> d.getMinute();
      case "month" -> d.getMonthValue();
      default -> d.getYear();
    };
  }

  /** Ascending ({@code sort}) or descending, NaN last either way; histograms left out. */
  private static List<El> sortByValue(List<El> in, boolean descending) {
    List<El> v = new ArrayList<>();
    for (El e : in) {
      if (e.histogram() == null) {
        v.add(e);
      }
    }
    v.sort((x, y) -> {
      boolean xn = Double.isNaN(x.value());
      boolean yn = Double.isNaN(y.value());
      if (xn || yn) {
        return Boolean.compare(xn, yn);
      }
      return descending ? Double.compare(y.value(), x.value()) : Double.compare(x.value(), y.value());
    });
    return v;
  }

  // ---- label functions ----

  private static List<Steps> labelReplace(Evaluator ev, List<Expr> args) throws QueryException {
    String dst = string(args.get(1));
    String replacement = string(args.get(2));
    String src = string(args.get(3));
    String regex = string(args.get(4));
    Pattern pattern;
    try {
      pattern = io.sightline.core.model.Re2.compile("^(?:" + regex + ")$", Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "invalid regular expression in label_replace(): " + regex);
    }
    if (!Aggregations.validLabelName(dst)) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "invalid destination label name in label_replace(): " + dst);
    }
    List<Steps> in = ev.eval(args.get(0));
    for (Steps s : in) {
      Matcher m = pattern.matcher(s.labels.get(src));
      if (m.matches()) {
        s.labels = s.labels.toBuilder().set(dst, RegexTemplate.expand(replacement, m)).build();
        if (dst.equals(Labels.METRIC_NAME)) {
          s.dropName = false;
        }
      }
    }
    return mergeSameLabels(in);
  }

  private static List<Steps> labelJoin(Evaluator ev, List<Expr> args) throws QueryException {
    String dst = string(args.get(1));
    String separator = string(args.get(2));
    List<String> sources = new ArrayList<>();
    for (int i = 3; i < args.size(); i++) {
      String src = string(args.get(i));
      if (!Aggregations.validLabelName(src)) {
        throw new QueryException(QueryException.Kind.EXECUTION, "invalid source label name in label_join(): " + src);
      }
      sources.add(src);
    }
    if (!Aggregations.validLabelName(dst)) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "invalid destination label name in label_join(): " + dst);
    }
    List<Steps> in = ev.eval(args.get(0));
    for (Steps s : in) {
      List<String> values = new ArrayList<>();
      for (String src : sources) {
        values.add(s.labels.get(src));
      }
      s.labels = s.labels.toBuilder().set(dst, String.join(separator, values)).build();
      if (dst.equals(Labels.METRIC_NAME)) {
        s.dropName = false;
      }
    }
    return mergeSameLabels(in);
  }

  /**
   * Series that ended up with the same labels are one series when their points do not overlap, and an error when
   * they do (Prometheus' {@code mergeSeriesWithSameLabelset}).
   */
  static List<Steps> mergeSameLabels(List<Steps> in) throws QueryException {
    Map<Labels, List<Steps>> byLabels = new LinkedHashMap<>();
    for (Steps s : in) {
      byLabels.computeIfAbsent(s.labels, k -> new ArrayList<>()).add(s);
    }
    if (byLabels.size() == in.size()) {
      return in;
    }
    List<Steps> out = new ArrayList<>();
    for (List<Steps> same : byLabels.values()) {
      if (same.size() == 1) {
        out.add(same.get(0));
        continue;
      }
      java.util.TreeMap<Long, Object[]> points = new java.util.TreeMap<>();
      for (Steps s : same) {
        for (int i = 0; i < s.count; i++) {
          if (points.put(s.times[i], new Object[] {s.values[i], s.histogram(i)}) != null) {
            throw new QueryException(QueryException.Kind.EXECUTION,
                "vector cannot contain metrics with the same labelset");
          }
        }
      }
      Steps merged = new Steps(same.get(0).labels, same.get(0).dropName, points.size());
      points.forEach((t, p) -> merged.add(t, (Double) p[0], (Histogram) p[1]));
      out.add(merged);
    }
    return out;
  }

  private static double asinh(double x) {
    return Double.isInfinite(x) ? x : Math.log(x + Math.sqrt(x * x + 1));
  }

  private static double acosh(double x) {
    return Math.log(x + Math.sqrt(x * x - 1));
  }

  private static double atanh(double x) {
    return 0.5 * Math.log((1 + x) / (1 - x));
  }
}

package io.sightline.promql.engine;

import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Labels;
import io.sightline.promql.parser.AggregateExpr;
import io.sightline.promql.parser.AggregateOp;
import io.sightline.promql.parser.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The aggregation operators at one step, over groups of the input vector: {@code by} keeps only the listed labels,
 * {@code without} drops them and the name. Sums and means use Kahan-Neumaier compensation, as Prometheus does, so
 * that results match to the last digit.
 */
final class Aggregations {
  private Aggregations() {}

  static List<Steps> eval(Evaluator ev, AggregateExpr a) throws QueryException {
    List<String> grouping = new ArrayList<>(new TreeSet<>(a.grouping()));
    if (a.op() == AggregateOp.COUNT_VALUES) {
      var literal = (io.sightline.promql.parser.StringLiteral) unwrap(a.parameter());
      String label = literal.value();
      if (!validLabelName(label)) {
        throw new QueryException(QueryException.Kind.EXECUTION, "invalid label name " + literal.text());
      }
      return ev.stepwise(List.of(a.expr()), (t, args) -> countValues(args.get(0), label, grouping, a.without()));
    }
    double[] param = a.parameter() == null ? null : ev.scalarPerStep(a.parameter());
    if (a.op() == AggregateOp.QUANTILE) {
      for (double q : param) {
        if (Double.isNaN(q) || q < 0 || q > 1) {
          ev.annotations.warn("quantile value should be between 0 and 1, got " + GoFormat.plain(q));
        }
      }
    }
    if (a.op() == AggregateOp.LIMIT_RATIO) {
      for (double r : param) {
        if (r < -1 || r > 1) {
          ev.annotations.warn("ratio value should be between -1 and 1, got " + GoFormat.plain(r) + ", capping to "
              + (r < -1 ? "-1" : "1"));
        }
      }
    }
    // A series keeps its labels object from step to step: its group is worked out once, not at every step.
    java.util.IdentityHashMap<Labels, Labels> groupOf = new java.util.IdentityHashMap<>();
    GroupKey key = l -> groupOf.computeIfAbsent(l, x -> groupLabels(x, grouping, a.without()));
    return ev.stepwise(List.of(a.expr()), (t, args) -> {
      double p = param == null ? Double.NaN : param[(int) ((t - ev.start) / ev.interval)];
      return switch (a.op()) {
        case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> selecting(ev, a.op(), args.get(0), p, key);
        default -> combining(ev, a.op(), args.get(0), p, key);
      };
    });
  }

  private static Expr unwrap(Expr e) {
    return e instanceof io.sightline.promql.parser.ParenExpr p ? unwrap(p.expr()) : e;
  }

  private interface GroupKey {
    Labels of(Labels series);
  }

  private static Labels groupLabels(Labels l, List<String> grouping, boolean without) {
    return without ? LabelSets.drop(l, grouping, true) : LabelSets.keep(l, grouping);
  }

  /** A group's running state: Prometheus' {@code groupedAggregation} for floats. */
  private static final class Group {
    final Labels labels;
    double value;
    double compensation;
    double mean;
    double count;
    boolean incrementalMean;
    boolean dropName;
    boolean hasFloat;
    boolean hasHistogram;
    List<El> members;

    Group(Labels labels) {
      this.labels = labels;
    }
  }

  private static List<El> combining(Evaluator ev, AggregateOp op, List<El> in, double q, GroupKey groupKey) {
    Map<Labels, Group> groups = new LinkedHashMap<>();
    for (El e : in) {
      Labels key = groupKey.of(e.labels());
      Group g = groups.get(key);
      double f = e.value();
      if (e.histogram() != null) {
        if (op != AggregateOp.COUNT && op != AggregateOp.GROUP) {
          ev.annotations.info("ignored histogram in " + op.keyword() + " aggregation");
          if (g == null) {
            groups.put(key, null);
          }
          continue;
        }
      }
      if (g == null) {
        g = new Group(key);
        groups.put(key, g);
        g.count = 1;
        g.value = f;
        g.mean = f;
        g.dropName = e.dropName();
        g.hasFloat = true;
        switch (op) {
          case STDVAR, STDDEV -> g.value = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
          case QUANTILE -> {
            g.members = new ArrayList<>();
            g.members.add(e);
          }
          case GROUP -> g.value = 1;
          default -> { }
        }
        continue;
      }
      g.dropName |= e.dropName();
      switch (op) {
        case SUM -> kahanAdd(g, f);
        case AVG -> {
          g.count++;
          if (!g.incrementalMean) {
            double[] next = kahanInc(f, g.value, g.compensation);
            if (!Double.isInfinite(next[0])) {
              g.value = next[0];
              g.compensation = next[1];
              break;
            }
            g.incrementalMean = true;
            g.mean = g.value / (g.count - 1);
            g.compensation /= g.count - 1;
          }
          double ratio = (g.count - 1) / g.count;
          double[] next = kahanInc(f / g.count, ratio * g.mean, ratio * g.compensation);
          g.mean = next[0];
          g.compensation = next[1];
        }
        case MAX -> {
          if (g.value < f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case MIN -> {
          if (g.value > f || Double.isNaN(g.value)) {
            g.value = f;
          }
        }
        case COUNT -> g.count++;
        case STDVAR, STDDEV -> {
          g.count++;
          double delta = f - g.mean;
          g.mean += delta / g.count;
          g.value += delta * (f - g.mean);
        }
        case QUANTILE -> g.members.add(e);
        default -> { }
      }
    }
    List<El> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      if (g == null) {
        continue;
      }
      double v = switch (op) {
        case SUM -> g.value + g.compensation;
        case AVG -> g.incrementalMean ? g.mean + g.compensation : g.value / g.count + g.compensation / g.count;
        case COUNT -> g.count;
        case STDVAR -> g.value / g.count;
        case STDDEV -> Math.sqrt(g.value / g.count);
        case QUANTILE -> quantile(q, g.members.stream().mapToDouble(El::value).toArray());
        default -> g.value;
      };
      out.add(new El(g.labels, v, null, g.dropName));
    }
    return out;
  }

  private static void kahanAdd(Group g, double f) {
    double[] next = kahanInc(f, g.value, g.compensation);
    g.value = next[0];
    g.compensation = next[1];
  }

  /** Kahan-Neumaier summation step: the new sum and compensation (Prometheus' {@code kahansum.Inc}). */
  static double[] kahanInc(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    return new double[] {t, c};
  }

  /** Prometheus' {@code quantile}: linear interpolation between the closest ranks. */
  static double quantile(double q, double[] values) {
    if (values.length == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] v = values.clone();
    sortNaNFirst(v);
    double n = v.length;
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return v[(int) lower] * (1 - weight) + v[(int) upper] * weight;
  }

  /** Ascending, with NaN below everything, as Prometheus' {@code vectorByValueHeap} orders. */
  private static void sortNaNFirst(double[] v) {
    Double[] boxed = Arrays.stream(v).boxed().toArray(Double[]::new);
    Arrays.sort(boxed, NAN_FIRST);
    for (int i = 0; i < v.length; i++) {
      v[i] = boxed[i];
    }
  }

  private static final Comparator<Double> NAN_FIRST = (a, b) -> {
    if (a.isNaN()) {
      return b.isNaN() ? 0 : -1;
    }
    if (b.isNaN()) {
      return 1;
    }
    return Double.compare(a == 0.0 ? 0.0 : a, b == 0.0 ? 0.0 : b);
  };

  private static List<El> selecting(Evaluator ev, AggregateOp op, List<El> in, double param, GroupKey groupKey) {
    Map<Labels, List<El>> groups = new LinkedHashMap<>();
    for (El e : in) {
      if (e.histogram() != null && (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK)) {
        ev.annotations.info("ignored histogram in " + op.keyword() + " aggregation");
        continue;
      }
      groups.computeIfAbsent(groupKey.of(e.labels()), k -> new ArrayList<>()).add(e);
    }
    List<El> out = new ArrayList<>();
    switch (op) {
      case TOPK, BOTTOMK, LIMITK -> {
        long k = Double.isNaN(param) ? 0 : (long) Math.min(param, in.size());
        if (k < 1) {
          return out;
        }
        for (List<El> g : groups.values()) {
          if (op == AggregateOp.LIMITK) {
            out.addAll(g.subList(0, (int) Math.min(k, g.size())));
            continue;
          }
          Comparator<El> order = op == AggregateOp.TOPK
              ? (x, y) -> NAN_FIRST.compare(y.value(), x.value())
              : (x, y) -> {
                if (Double.isNaN(x.value()) || Double.isNaN(y.value())) {
                  return Boolean.compare(Double.isNaN(x.value()), Double.isNaN(y.value()));
                }
                return Double.compare(x.value(), y.value());
              };
          List<El> sorted = new ArrayList<>(g);
          sorted.sort(order);
          out.addAll(sorted.subList(0, (int) Math.min(k, sorted.size())));
        }
      }
      case LIMIT_RATIO -> {
        if (param == 0 || Double.isNaN(param)) {
          return out;
        }
        double r = Math.max(-1, Math.min(1, param));
        for (List<El> g : groups.values()) {
          for (El e : g) {
            if (RatioSampler.keep(r, e.labels())) {
              out.add(e);
            }
          }
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
    return out;
  }

  private static List<El> countValues(List<El> in, String label, List<String> grouping, boolean without) {
    Map<Labels, double[]> counts = new LinkedHashMap<>();
    List<String> by = new ArrayList<>(grouping);
    if (!without) {
      by.add(label);
    }
    for (El e : in) {
      String value = e.histogram() != null ? e.histogram().toString() : formatValue(e.value());
      Labels metric = e.labels().toBuilder().set(label, value).build();
      Labels key = without ? LabelSets.drop(metric, grouping, true) : LabelSets.keep(metric, by);
      counts.computeIfAbsent(key, k -> new double[1])[0]++;
    }
    List<El> out = new ArrayList<>();
    counts.forEach((l, c) -> out.add(new El(l, c[0], null, false)));
    return out;
  }

  /** Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: the shortest decimal, never an exponent. */
  static String formatValue(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    String s = new java.math.BigDecimal(Double.toString(f)).toPlainString();
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "");
      if (s.endsWith(".")) {
        s = s.substring(0, s.length() - 1);
      }
    }
    return s.equals("-0") ? "-0" : s;
  }

  static boolean validLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    // Prometheus 3 accepts any valid UTF-8 label name
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(++i)))) {
        return false;
      }
      if (c == '\ufffd') {
        return false;
      }
    }
    return true;
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

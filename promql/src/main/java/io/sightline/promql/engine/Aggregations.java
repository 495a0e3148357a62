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
    List<Steps> in = ev.eval(a.expr());
    // Each series' group is worked out once; then every step walks the series in order, as Prometheus does.
    int[] groupOf = new int[in.size()];
    Map<Labels, Integer> index = new java.util.HashMap<>();
    List<Labels> groupLabels = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Labels key = groupLabels(in.get(i).labels, grouping, a.without());
      Integer g = index.get(key);
      if (g == null) {
        g = groupLabels.size();
        index.put(key, g);
        groupLabels.add(key);
      }
      groupOf[i] = g;
      in.get(i).rewind();
    }
    boolean selecting = switch (a.op()) {
      case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> true;
      default -> false;
    };
    return selecting ? selectingOver(ev, a.op(), in, groupOf, groupLabels.size(), param)
        : combiningOver(ev, a.op(), in, groupOf, groupLabels, param);
  }

  private static List<Steps> combiningOver(Evaluator ev, AggregateOp op, List<Steps> in, int[] groupOf,
      List<Labels> groupLabels, double[] param) throws QueryException {
    int groupCount = groupLabels.size();
    Group[] groups = new Group[groupCount];
    Steps[] outs = new Steps[groupCount];
    List<Steps> order = new ArrayList<>();
    int step = 0;
    for (long t = ev.start; t <= ev.end; t += ev.interval, step++) {
      ev.limits.check();
      for (int g = 0; g < groupCount; g++) {
        if (groups[g] != null) {
          groups[g].seen = false;
        }
      }
      for (int i = 0; i < in.size(); i++) {
        Steps s = in.get(i);
        int p = s.takeAt(t);
        if (p < 0) {
          continue;
        }
        int g = groupOf[i];
        if (groups[g] == null) {
          groups[g] = new Group(groupLabels.get(g));
        }
        accumulate(ev, op, groups[g], s.values[p], s.histogram(p), s.dropName);
      }
      double q = param == null ? Double.NaN : param[step];
      int emitted = 0;
      for (int g = 0; g < groupCount; g++) {
        Group group = groups[g];
        if (group == null || !group.seen || group.ignored) {
          continue;
        }
        if (group.hasHistogram) {
          if (group.hasFloat) {
            ev.annotations.warn("encountered a mix of histograms and floats for aggregation");
            continue;
          }
          if (group.incompatible) {
            ev.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas "
                + "for metric name \"\"");
            continue;
          }
        }
        if (outs[g] == null) {
          outs[g] = new Steps(group.labels, false, Math.min(ev.stepCount(), 64));
          order.add(outs[g]);
        }
        outs[g].dropName |= group.dropName;
        if (group.hasHistogram) {
          io.sightline.core.model.Histogram h = group.histogramSum;
          outs[g].add(t, 0, op == AggregateOp.AVG
              ? io.sightline.promql.functions.HistogramArithmetic.scale(h, 1.0 / group.count) : h);
        } else {
          outs[g].add(t, result(op, group, q), null);
        }
        emitted++;
      }
      ev.limits.addSamples(emitted);
    }
    return order;
  }

  private static List<Steps> selectingOver(Evaluator ev, AggregateOp op, List<Steps> in, int[] groupOf,
      int groupCount, double[] param) throws QueryException {
    Steps[] outs = new Steps[in.size()];
    List<Steps> order = new ArrayList<>();
    List<List<El>> members = new ArrayList<>(groupCount);
    List<List<Integer>> memberSeries = new ArrayList<>(groupCount);
    for (int g = 0; g < groupCount; g++) {
      members.add(new ArrayList<>());
      memberSeries.add(new ArrayList<>());
    }
    java.util.IdentityHashMap<El, Integer> seriesOf = new java.util.IdentityHashMap<>();
    int step = 0;
    for (long t = ev.start; t <= ev.end; t += ev.interval, step++) {
      ev.limits.check();
      int present = 0;
      for (int g = 0; g < groupCount; g++) {
        members.get(g).clear();
      }
      seriesOf.clear();
      for (int i = 0; i < in.size(); i++) {
        Steps s = in.get(i);
        int p = s.takeAt(t);
        if (p < 0) {
          continue;
        }
        El e = new El(s.labels, s.values[p], s.histogram(p), s.dropName);
        members.get(groupOf[i]).add(e);
        seriesOf.put(e, i);
        present++;
      }
      double k = param[step];
      int emitted = 0;
      for (int g = 0; g < groupCount; g++) {
        if (members.get(g).isEmpty()) {
          continue;
        }
        for (El e : select(ev, op, members.get(g), k, present)) {
          int i = seriesOf.get(e);
          if (outs[i] == null) {
            outs[i] = new Steps(e.labels(), e.dropName(), Math.min(ev.stepCount(), 64));
            order.add(outs[i]);
          }
          outs[i].add(t, e.value(), e.histogram());
          emitted++;
        }
      }
      ev.limits.addSamples(emitted);
    }
    return order;
  }

  private static Expr unwrap(Expr e) {
    return e instanceof io.sightline.promql.parser.ParenExpr p ? unwrap(p.expr()) : e;
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
    /** Whether the group had a sample at this step; the state is reset at its first one. */
    boolean seen;
    /** A histogram was among its samples where the operator takes floats only: no result (Prometheus skips it). */
    boolean ignored;
    double[] members = new double[0];
    int memberCount;
    /** The sum of the native histograms of a sum or avg; {@code incompatible} when they could not be added. */
    io.sightline.core.model.Histogram histogramSum;
    boolean incompatible;

    Group(Labels labels) {
      this.labels = labels;
    }
  }

  /** Adds one sample to its group's state, as Prometheus' {@code aggregation} does for floats. */
  private static void accumulate(Evaluator ev, AggregateOp op, Group g, double f, io.sightline.core.model.Histogram h,
      boolean dropName) {
    if (h != null && (op == AggregateOp.SUM || op == AggregateOp.AVG)) {
      if (!g.seen || g.ignored && g.count == 0) {
        g.seen = true;
        g.ignored = false;
        g.count = 0;
        g.value = 0;
        g.compensation = 0;
        g.incrementalMean = false;
        g.hasFloat = false;
        g.histogramSum = null;
        g.incompatible = false;
        g.dropName = dropName;
      } else {
        g.dropName |= dropName;
      }
      g.hasHistogram = true;
      g.count++;
      if (!g.incompatible) {
        try {
          g.histogramSum = g.histogramSum == null ? h
              : io.sightline.promql.functions.HistogramArithmetic.add(g.histogramSum, h);
        } catch (io.sightline.promql.functions.HistogramArithmetic.IncompatibleException e) {
          g.incompatible = true;
        }
      }
      return;
    }
    if (h != null && op != AggregateOp.COUNT && op != AggregateOp.GROUP) {
      ev.annotations.info("ignored histogram in " + op.keyword() + " aggregation");
      if (!g.seen) {
        g.seen = true;
        g.ignored = true;
        g.count = 0;
        g.memberCount = 0;
        g.dropName = dropName;
      }
      return;
    }
    if (!g.seen || g.ignored && g.count == 0) {
      g.seen = true;
      g.ignored = false;
      g.hasFloat = true;
      g.hasHistogram = false;
      g.histogramSum = null;
      g.incompatible = false;
      g.count = 1;
      g.value = f;
      g.mean = f;
      g.compensation = 0;
      g.incrementalMean = false;
      g.dropName = dropName;
      g.memberCount = 0;
      switch (op) {
        case STDVAR, STDDEV -> g.value = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
        case QUANTILE -> addMember(g, f);
        case GROUP -> g.value = 1;
        default -> { }
      }
      return;
    }
    g.dropName |= dropName;
    if (g.hasHistogram && !g.hasFloat && (op == AggregateOp.SUM || op == AggregateOp.AVG)) {
      // the first float after histograms: the group mixes kinds and will have no result
      g.hasFloat = true;
      g.count++;
      g.value = f;
      return;
    }
    g.hasFloat = true;
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
      case QUANTILE -> addMember(g, f);
      default -> { }
    }
  }

  private static void addMember(Group g, double f) {
    if (g.memberCount == g.members.length) {
      g.members = Arrays.copyOf(g.members, Math.max(8, g.memberCount * 2));
    }
    g.members[g.memberCount++] = f;
  }

  private static double result(AggregateOp op, Group g, double q) {
    return switch (op) {
      case SUM -> g.value + g.compensation;
      case AVG -> g.incrementalMean ? g.mean + g.compensation : g.value / g.count + g.compensation / g.count;
      case COUNT -> g.count;
      case STDVAR -> g.value / g.count;
      case STDDEV -> Math.sqrt(g.value / g.count);
      case QUANTILE -> quantile(q, Arrays.copyOf(g.members, g.memberCount));
      default -> g.value;
    };
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

  /** The members of one group that topk, bottomk, limitk or limit_ratio keeps at a step. */
  private static List<El> select(Evaluator ev, AggregateOp op, List<El> group, double param, int present) {
    List<El> out = new ArrayList<>();
    switch (op) {
      case TOPK, BOTTOMK, LIMITK -> {
        long k = Double.isNaN(param) ? 0 : (long) Math.min(param, present);
        if (k < 1) {
          return out;
        }
        List<El> candidates = group;
        if (op != AggregateOp.LIMITK) {
          candidates = new ArrayList<>();
          for (El e : group) {
            if (e.histogram() != null) {
              ev.annotations.info("ignored histogram in " + op.keyword() + " aggregation");
            } else {
              candidates.add(e);
            }
          }
          Comparator<El> order = op == AggregateOp.TOPK
              ? (x, y) -> NAN_FIRST.compare(y.value(), x.value())
              : (x, y) -> {
                if (Double.isNaN(x.value()) || Double.isNaN(y.value())) {
                  return Boolean.compare(Double.isNaN(x.value()), Double.isNaN(y.value()));
                }
                return Double.compare(x.value(), y.value());
              };
          candidates.sort(order);
        }
        out.addAll(candidates.subList(0, (int) Math.min(k, candidates.size())));
      }
      case LIMIT_RATIO -> {
        if (param == 0 || Double.isNaN(param)) {
          return out;
        }
        double r = Math.max(-1, Math.min(1, param));
        for (El e : group) {
          if (RatioSampler.keep(r, e.labels())) {
            out.add(e);
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
      String value = e.histogram() != null ? HistogramText.of(e.histogram()) : formatValue(e.value());
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
    if (f == 0) {
      return 1 / f < 0 ? "-0" : "0";
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

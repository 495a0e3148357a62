package io.sightline.promql.engine;

import io.sightline.core.model.Histogram;
import io.sightline.core.model.Labels;
import io.sightline.promql.parser.BinaryExpr;
import io.sightline.promql.parser.BinaryOp;
import io.sightline.promql.parser.ValueType;
import io.sightline.promql.parser.VectorMatching;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators between scalars and vectors, with Prometheus' matching rules ({@code VectorBinop},
 * {@code VectorscalarBinop}, {@code VectorAnd/Or/Unless} in its engine) and its error messages.
 */
final class BinaryOperations {
  private BinaryOperations() {}

  static List<Steps> eval(Evaluator ev, BinaryExpr b) throws QueryException {
    ValueType lt = b.lhs().type();
    ValueType rt = b.rhs().type();
    if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      return ev.stepwise(List.of(b.lhs(), b.rhs()), (t, args) -> {
        double v = scalar(b.op(), args.get(0).get(0).value(), args.get(1).get(0).value());
        return List.of(new El(Labels.EMPTY, v, null, false));
      });
    }
    if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
      VectorMatching m = b.matching();
      List<Steps> lhs = ev.eval(b.lhs());
      List<Steps> rhs = ev.eval(b.rhs());
      if (!b.op().isSetOperator() && m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
        List<Steps> paired = pairedOneToOne(ev, b, lhs, rhs);
        if (paired != null) {
          return paired;
        }
      }
      // A series keeps its labels object from step to step: its match signature is worked out once.
      Signer sig = caching(m);
      return ev.stepwiseOver(List.of(lhs, rhs), (t, args) -> switch (b.op()) {
        case AND -> and(args.get(0), args.get(1), sig);
        case OR -> or(args.get(0), args.get(1), sig);
        case UNLESS -> unless(args.get(0), args.get(1), sig);
        default -> vectors(ev, b.op(), args.get(0), args.get(1), m, b.returnBool(), sig);
      });
    }
    boolean scalarLeft = lt == ValueType.SCALAR;
    return ev.stepwise(List.of(b.lhs(), b.rhs()), (t, args) -> {
      List<El> vector = args.get(scalarLeft ? 1 : 0);
      double scalar = args.get(scalarLeft ? 0 : 1).get(0).value();
      return vectorScalar(ev, b.op(), vector, scalar, scalarLeft, b.returnBool());
    });
  }

  /**
   * One-to-one matching when every series has its own signature on each side and every pair its own result labels,
   * the usual case: the pairs are found once and each pair's points walked together, with no per-step maps. Null
   * when the series do not pair up that simply; then the general step-by-step path decides, errors included.
   */
  private static List<Steps> pairedOneToOne(Evaluator ev, BinaryExpr b, List<Steps> lhs, List<Steps> rhs)
      throws QueryException {
    VectorMatching m = b.matching();
    Map<String, Steps> right = new HashMap<>();
    for (Steps r : rhs) {
      if (right.put(LabelSets.signature(r.labels, m.labels(), m.on()), r) != null) {
        return null;
      }
    }
    Set<String> leftSignatures = new HashSet<>();
    Set<Labels> results = new HashSet<>();
    List<Steps> out = new ArrayList<>();
    List<Steps[]> pairs = new ArrayList<>();
    List<Labels> labels = new ArrayList<>();
    for (Steps l : lhs) {
      String sig = LabelSets.signature(l.labels, m.labels(), m.on());
      if (!leftSignatures.add(sig)) {
        return null;
      }
      Steps r = right.get(sig);
      if (r == null) {
        continue;
      }
      Labels metric = resultMetric(l.labels, r.labels, b.op(), m);
      if (!results.add(metric)) {
        return null;
      }
      pairs.add(new Steps[] {l, r});
      labels.add(metric);
    }
    for (int p = 0; p < pairs.size(); p++) {
      Steps l = pairs.get(p)[0];
      Steps r = pairs.get(p)[1];
      Steps s = new Steps(labels.get(p), b.returnBool(), Math.min(l.count, r.count));
      int i = 0;
      int j = 0;
      while (i < l.count && j < r.count) {
        if (l.times[i] < r.times[j]) {
          i++;
        } else if (l.times[i] > r.times[j]) {
          j++;
        } else {
          Elem res = element(ev, b.op(), l.values[i], r.values[j], l.histogram(i), r.histogram(j));
          if (!res.incompatible()) {
            if (b.returnBool()) {
              s.add(l.times[i], res.keep() ? 1 : 0, null);
            } else if (res.keep()) {
              s.add(l.times[i], res.value(), res.histogram());
            }
          }
          i++;
          j++;
        }
      }
      ev.limits.addSamples(s.count);
      if (s.count > 0) {
        out.add(s);
      }
    }
    return out;
  }

  static double scalar(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> Math.pow(l, r);
      case MOD -> goMod(l, r);
      case ATAN2 -> Math.atan2(l, r);
      case EQL -> l == r ? 1 : 0;
      case NEQ -> l != r ? 1 : 0;
      case GTR -> l > r ? 1 : 0;
      case LSS -> l < r ? 1 : 0;
      case GTE -> l >= r ? 1 : 0;
      case LTE -> l <= r ? 1 : 0;
      default -> throw new IllegalStateException(op + " between scalars");
    };
  }

  /** Go's math.Mod: the result has the sign of {@code l}, like Java's %, but Go's edge cases differ slightly. */
  static double goMod(double l, double r) {
    return l % r;
  }

  private static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQL -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> throw new IllegalStateException(op + " is not a comparison");
    };
  }

  /**
   * One pair's result: the value, and whether a comparison keeps it; {@code incompatible} when the operator does not
   * apply to these sample types, which drops the pair even under {@code bool}.
   */
  private record Elem(double value, Histogram histogram, boolean keep, boolean incompatible) {
    Elem(double value, Histogram histogram, boolean keep) {
      this(value, histogram, keep, false);
    }
  }

  private static Elem element(Evaluator ev, BinaryOp op, double l, double r, Histogram hl, Histogram hr) {
    if (hl == null && hr == null) {
      if (op.isComparison()) {
        return new Elem(l, null, compare(op, l, r));
      }
      return new Elem(scalar(op, l, r), null, true);
    }
    if (hl != null && hr == null && op == BinaryOp.DIV && r == 0) {
      // As Prometheus divides by zero: the totals and the zero bucket become ±Inf or NaN, the buckets go.
      double[] none = new double[0];
      double[] custom = new double[hl.customValueCount()];
      for (int i = 0; i < custom.length; i++) {
        custom[i] = hl.customValue(i);
      }
      return new Elem(0, new Histogram(hl.resetHint(), hl.schema(), hl.zeroThreshold(), hl.zeroCount() / r,
          hl.count() / r, hl.sum() / r, java.util.List.of(), none, java.util.List.of(), none, custom), true);
    }
    if (hl != null && hr == null && (op == BinaryOp.MUL || op == BinaryOp.DIV)) {
      return new Elem(0, HistogramMath.scale(hl, op == BinaryOp.MUL ? r : 1 / r), true);
    }
    if (hl == null && op == BinaryOp.MUL) {
      return new Elem(0, HistogramMath.scale(hr, l), true);
    }
    if (hl != null && hr != null && (op == BinaryOp.ADD || op == BinaryOp.SUB)) {
      try {
        return new Elem(0, op == BinaryOp.ADD ? io.sightline.promql.functions.HistogramArithmetic.add(hl, hr)
            : io.sightline.promql.functions.HistogramArithmetic.subtract(hl, hr), true);
      } catch (io.sightline.promql.functions.HistogramArithmetic.IncompatibleException e) {
        ev.annotations.warn("incompatible bucket layout encountered for binary operator " + op.symbol());
        return new Elem(0, null, false, true);
      }
    }
    if (hl != null && hr != null && (op == BinaryOp.EQL || op == BinaryOp.NEQ)) {
      boolean equal = hl.sameValue(hr);
      return new Elem(0, hl, op == BinaryOp.EQL ? equal : !equal);
    }
    ev.annotations.info("incompatible sample types encountered for binary operator \"" + op.symbol() + "\": "
        + (hl == null ? "float" : "histogram") + " " + op.symbol() + " " + (hr == null ? "float" : "histogram"));
    return new Elem(0, null, false, true);
  }

  private static boolean changesSchema(BinaryOp op) {
    return !op.isComparison() && !op.isSetOperator();
  }

  static List<El> vectorScalar(Evaluator ev, BinaryOp op, List<El> vector, double scalar, boolean scalarLeft,
      boolean returnBool) {
    List<El> out = new ArrayList<>(vector.size());
    for (El e : vector) {
      double l = scalarLeft ? scalar : e.value();
      double r = scalarLeft ? e.value() : scalar;
      Histogram hl = scalarLeft ? null : e.histogram();
      Histogram hr = scalarLeft ? e.histogram() : null;
      Elem res = element(ev, op, l, r, hl, hr);
      if (res.incompatible()) {
        continue;
      }
      double value = res.value();
      Histogram h = res.histogram();
      boolean keep = res.keep();
      if (op.isComparison() && scalarLeft) {
        value = e.value(); // the vector's sample is the result, even on the right
        h = e.histogram();
      }
      if (returnBool) {
        value = keep ? 1 : 0;
        h = null;
        keep = true;
      }
      if (keep) {
        out.add(new El(e.labels(), value, h, e.dropName() || changesSchema(op) || returnBool));
      }
    }
    return out;
  }

  /** The key by which a series is matched with the other side. */
  interface Signer {
    String of(Labels labels);

    /** The result labels of a pair, worked out once per pair of series. */
    default Labels result(Labels lhs, Labels rhs, BinaryOp op, VectorMatching m) {
      return resultMetric(lhs, rhs, op, m);
    }
  }

  /** A signer that remembers both the signatures and the result labels of the series it has seen. */
  static Signer caching(VectorMatching m) {
    java.util.IdentityHashMap<Labels, String> signatures = new java.util.IdentityHashMap<>();
    java.util.IdentityHashMap<Labels, java.util.IdentityHashMap<Labels, Labels>> results =
        new java.util.IdentityHashMap<>();
    return new Signer() {
      @Override
      public String of(Labels labels) {
        return signatures.computeIfAbsent(labels, x -> LabelSets.signature(x, m.labels(), m.on()));
      }

      @Override
      public Labels result(Labels lhs, Labels rhs, BinaryOp op, VectorMatching matching) {
        return results.computeIfAbsent(lhs, x -> new java.util.IdentityHashMap<>())
            .computeIfAbsent(rhs, x -> resultMetric(lhs, rhs, op, matching));
      }
    };
  }

  static List<El> vectors(Evaluator ev, BinaryOp op, List<El> lhs, List<El> rhs, VectorMatching m,
      boolean returnBool, Signer signer) throws QueryException {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    boolean swapped = m.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
    if (swapped) {
      List<El> tmp = lhs;
      lhs = rhs;
      rhs = tmp;
    }
    Map<String, El> right = new HashMap<>();
    for (El r : rhs) {
      String sig = signer.of(r.labels());
      El dup = right.putIfAbsent(sig, r);
      if (dup != null) {
        String a = r.labels().toString();
        String b = dup.labels().toString();
        if (a.compareTo(b) > 0) {
          String x = a;
          a = b;
          b = x;
        }
        Labels group = m.on() ? LabelSets.keep(r.labels(), m.labels()) : LabelSets.drop(r.labels(), m.labels(), true);
        throw new QueryException(QueryException.Kind.EXECUTION, "found duplicate series for the match group "
            + group + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: [" + a + ", " + b
            + "];many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Set<String> matchedOneToOne = new HashSet<>();
    Map<String, Set<Labels>> matchedManyToOne = new HashMap<>();
    List<El> out = new ArrayList<>();
    for (El l : lhs) {
      String sig = signer.of(l.labels());
      El r = right.get(sig);
      if (r == null) {
        continue;
      }
      double fl = swapped ? r.value() : l.value();
      double fr = swapped ? l.value() : r.value();
      Histogram hl = swapped ? r.histogram() : l.histogram();
      Histogram hr = swapped ? l.histogram() : r.histogram();
      Elem res = element(ev, op, fl, fr, hl, hr);
      if (res.incompatible()) {
        continue;
      }
      double value = res.value();
      Histogram h = res.histogram();
      if (returnBool) {
        value = res.keep() ? 1 : 0;
        h = null;
      }
      Labels metric = signer.result(l.labels(), r.labels(), op, m);
      if (m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
        if (!matchedOneToOne.add(sig)) {
          throw new QueryException(QueryException.Kind.EXECUTION,
              "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        }
      } else if (!matchedManyToOne.computeIfAbsent(sig, k -> new HashSet<>()).add(metric)) {
        throw new QueryException(QueryException.Kind.EXECUTION,
            "multiple matches for labels: grouping labels must ensure unique matches");
      }
      if (!res.keep() && !returnBool) {
        continue;
      }
      if (swapped && op.isComparison() && !returnBool) {
        value = fl;
        h = hl;
      }
      out.add(new El(metric, value, h, returnBool));
    }
    return out;
  }

  /** The labels of a result: the "many" side's, narrowed for one-to-one matching, plus the group_x labels. */
  private static Labels resultMetric(Labels lhs, Labels rhs, BinaryOp op, VectorMatching m) {
    Labels.Builder b = lhs.toBuilder();
    if (changesSchema(op)) {
      b.delete(Labels.METRIC_NAME);
      b.delete("__type__");
      b.delete("__unit__");
    }
    if (m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Labels kept = LabelSets.keep(b.build(), m.labels());
        b = kept.toBuilder();
      } else {
        for (String l : m.labels()) {
          b.delete(l);
        }
      }
    }
    for (String l : m.include()) {
      b.set(l, rhs.get(l));
    }
    return b.build();
  }

  private static List<El> and(List<El> lhs, List<El> rhs, Signer m) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    Set<String> right = signatures(rhs, m);
    List<El> out = new ArrayList<>();
    for (El l : lhs) {
      if (right.contains(m.of(l.labels()))) {
        out.add(l);
      }
    }
    return out;
  }

  private static List<El> or(List<El> lhs, List<El> rhs, Signer m) {
    Set<String> left = signatures(lhs, m);
    List<El> out = new ArrayList<>(lhs);
    for (El r : rhs) {
      if (!left.contains(m.of(r.labels()))) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<El> unless(List<El> lhs, List<El> rhs, Signer m) {
    Set<String> right = signatures(rhs, m);
    List<El> out = new ArrayList<>();
    for (El l : lhs) {
      if (!right.contains(m.of(l.labels()))) {
        out.add(l);
      }
    }
    return out;
  }

  private static Set<String> signatures(List<El> v, Signer m) {
    Set<String> out = new HashSet<>();
    for (El e : v) {
      out.add(m.of(e.labels()));
    }
    return out;
  }
}

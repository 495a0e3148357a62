package io.sightline.logql.engine;

import io.sightline.core.model.Labels;
import io.sightline.logql.engine.LogqlResult.Sample;
import io.sightline.logql.syntax.BinOpOptions;
import io.sightline.logql.syntax.BinOpOptions.Cardinality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Loki's binary operations on samples ({@code MergeBinOp}, {@code vectorBinop}, and/or/unless). */
final class BinaryOperations {
  private BinaryOperations() {}

  static boolean isComparison(String op) {
    return switch (op) {
      case "==", "!=", ">", ">=", "<", "<=" -> true;
      default -> false;
    };
  }

  /**
   * Loki's {@code MergeBinOp}: the result keeps {@code left}'s labels; division and modulo by zero give NaN; a
   * comparison gives 1 or 0, or with {@code filter} keeps the vector side's sample ({@code swap}: the right one) or
   * drops it.
   *
   * @return the merged value, or null when the sample is dropped
   */
  static Double merge(String op, double left, double right, boolean swap, boolean filter) {
    double res;
    switch (op) {
      case "+" -> res = left + right;
      case "-" -> res = left - right;
      case "*" -> res = left * right;
      case "/" -> res = right == 0 ? Double.NaN : left / right;
      case "%" -> res = right == 0 ? Double.NaN : left % right;
      case "^" -> res = Math.pow(left, right);
      default -> {
        boolean ok = switch (op) {
          case "==" -> left == right;
          case "!=" -> left != right;
          case ">" -> left > right;
          case ">=" -> left >= right;
          case "<" -> left < right;
          case "<=" -> left <= right;
          default -> throw new IllegalStateException("should never happen: unexpected operation: (" + op + ")");
        };
        if (!filter) {
          return ok ? 1.0 : 0.0;
        }
        if (!ok) {
          return null;
        }
        return swap ? right : left;
      }
    }
    return res;
  }

  /** Loki's {@code matchingSignature}: the labels two samples must share to match. */
  static Labels signature(Labels metric, BinOpOptions opts) {
    List<String> names = opts.matchingLabels() == null ? List.of() : opts.matchingLabels();
    if (opts.on()) {
      List<String> pairs = new ArrayList<>();
      for (int i = 0; i < metric.size(); i++) {
        if (names.contains(metric.name(i))) {
          pairs.add(metric.name(i));
          pairs.add(metric.value(i));
        }
      }
      return Labels.of(pairs.toArray(String[]::new));
    }
    if (names.isEmpty()) {
      return metric;
    }
    Labels.Builder b = metric.toBuilder();
    names.forEach(b::delete);
    return b.build();
  }

  static List<Sample> and(List<Sample> lhs, List<Sample> rhs, BinOpOptions opts) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return List.of();
    }
    Set<Labels> right = new HashSet<>();
    for (Sample s : rhs) {
      right.add(signature(s.metric(), opts));
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (right.contains(signature(s.metric(), opts))) {
        out.add(s);
      }
    }
    return out;
  }

  static List<Sample> or(List<Sample> lhs, List<Sample> rhs, BinOpOptions opts) {
    if (lhs.isEmpty()) {
      return rhs;
    }
    if (rhs.isEmpty()) {
      return lhs;
    }
    Set<Labels> left = new HashSet<>();
    List<Sample> out = new ArrayList<>(lhs);
    for (Sample s : lhs) {
      left.add(signature(s.metric(), opts));
    }
    for (Sample s : rhs) {
      if (!left.contains(signature(s.metric(), opts))) {
        out.add(s);
      }
    }
    return out;
  }

  static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, BinOpOptions opts) {
    if (lhs.isEmpty() || rhs.isEmpty()) {
      return lhs;
    }
    Set<Labels> right = new HashSet<>();
    for (Sample s : rhs) {
      right.add(signature(s.metric(), opts));
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : lhs) {
      if (!right.contains(signature(s.metric(), opts))) {
        out.add(s);
      }
    }
    return out;
  }

  /** Loki's {@code vectorBinop}: one-to-one, or many-to-one/one-to-many with group_left/group_right. */
  static List<Sample> vector(String op, BinOpOptions opts, List<Sample> lhs, List<Sample> rhs, long ts)
      throws QueryException {
    boolean oneToMany = opts.cardinality() == Cardinality.ONE_TO_MANY;
    if (oneToMany) {
      List<Sample> t = lhs;
      lhs = rhs;
      rhs = t;
    }
    Map<Labels, Sample> rightSigs = new HashMap<>();
    for (Sample s : rhs) {
      if (rightSigs.put(signature(s.metric(), opts), s) != null) {
        throw QueryException.badRequest("found duplicate series on the " + (oneToMany ? "left" : "right")
            + " hand-side;many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    Map<Labels, Set<Labels>> matched = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    boolean comparison = isComparison(op);
    for (Sample ls : lhs) {
      Labels sig = signature(ls.metric(), opts);
      Sample rs = rightSigs.get(sig);
      if (rs == null) {
        continue;
      }
      Labels metric = resultMetric(ls.metric(), rs.metric(), opts);
      Set<Labels> inserted = matched.get(sig);
      if (opts.cardinality() == Cardinality.ONE_TO_ONE) {
        if (matched.containsKey(sig)) {
          throw QueryException.badRequest(
              "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        }
        matched.put(sig, null);
      } else {
        if (inserted == null) {
          inserted = new HashSet<>();
          matched.put(sig, inserted);
        } else if (inserted.contains(metric)) {
          throw QueryException.badRequest("multiple matches for labels: grouping labels must ensure unique matches");
        }
        inserted.add(metric);
      }
      Sample l = ls;
      Sample r = rs;
      if (oneToMany) {
        l = rs;
        r = ls;
      }
      Double v = comparison ? merge(op, l.value(), r.value(), false, !opts.returnBool())
          : merge(op, l.value(), r.value(), false, false);
      if (v != null) {
        out.add(new Sample(metric, ts, v));
      }
    }
    return out;
  }

  /** Loki's {@code resultMetric}. */
  static Labels resultMetric(Labels lhs, Labels rhs, BinOpOptions opts) {
    Labels.Builder b = lhs.toBuilder();
    List<String> names = opts.matchingLabels() == null ? List.of() : opts.matchingLabels();
    if (opts.cardinality() == Cardinality.ONE_TO_ONE) {
      if (opts.on()) {
        for (int i = 0; i < lhs.size(); i++) {
          if (!names.contains(lhs.name(i))) {
            b.delete(lhs.name(i));
          }
        }
      } else {
        names.forEach(b::delete);
      }
    }
    if (opts.include() != null) {
      for (String n : opts.include()) {
        String v = rhs.get(n);
        if (!v.isEmpty()) {
          b.set(n, v);
        } else {
          b.delete(n);
        }
      }
    }
    return b.build();
  }
}

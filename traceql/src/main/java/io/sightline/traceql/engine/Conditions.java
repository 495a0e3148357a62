package io.sightline.traceql.engine;

import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.BinaryOperation;
import io.sightline.traceql.syntax.Element;
import io.sightline.traceql.syntax.FieldExpr;
import io.sightline.traceql.syntax.MetricsMath;
import io.sightline.traceql.syntax.MetricsQuery;
import io.sightline.traceql.syntax.Op;
import io.sightline.traceql.syntax.Pipeline;
import io.sightline.traceql.syntax.Root;
import io.sightline.traceql.syntax.SpansetFilter;
import io.sightline.traceql.syntax.SpansetOperation;
import io.sightline.traceql.syntax.SpansetOperator;
import io.sightline.traceql.syntax.SpansetQuery;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.UnaryOperation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The conditions a matching trace must satisfy, from the query alone: the conjuncts of spanset filters that every
 * result depends on. {@code ||} and the negated structural operators' left sides imply nothing; the stages of a
 * pipeline each filter what came before, so their filters are implied too.
 */
public final class Conditions {
  private Conditions() {}

  public static List<Condition> of(Root root) {
    Set<Condition> out = new LinkedHashSet<>();
    collect(root, out);
    return List.copyOf(out);
  }

  private static void collect(Root root, Set<Condition> out) {
    switch (root) {
      case SpansetQuery s -> element(s.element(), out);
      case MetricsQuery m -> element(m.spans(), out);
      case MetricsMath m -> { }
      default -> { }
    }
  }

  private static void element(Element e, Set<Condition> out) {
    switch (e) {
      case SpansetFilter f -> conjuncts(f.expr(), out);
      case SpansetOperation o -> {
        if (o.op() == SpansetOperator.UNION) {
          return;
        }
        if (!o.op().negated()) {
          element(o.lhs(), out);
        }
        element(o.rhs(), out);
      }
      case Pipeline p -> p.stages().forEach(s -> element(s, out));
      default -> { }
    }
  }

  private static void conjuncts(FieldExpr e, Set<Condition> out) {
    switch (e) {
      case BinaryOperation b when b.op() == Op.AND -> {
        conjuncts(b.lhs(), out);
        conjuncts(b.rhs(), out);
      }
      case BinaryOperation b when isComparison(b.op()) -> {
        if (b.lhs() instanceof Attribute a && b.rhs() instanceof Static s && !s.isNil()) {
          out.add(new Condition(a, b.op(), s));
        } else if (b.rhs() instanceof Attribute a && b.lhs() instanceof Static s && !s.isNil()
            && b.op() != Op.RE && b.op() != Op.NRE) {
          out.add(new Condition(a, b.op().flipped(), s));
        }
      }
      case UnaryOperation u when u.op() == Op.EXISTS && u.expr() instanceof Attribute a ->
          out.add(new Condition(a, Op.EXISTS, Static.NIL));
      default -> { }
    }
  }

  private static boolean isComparison(Op op) {
    return switch (op) {
      case EQ, NEQ, LT, LTE, GT, GTE, RE, NRE -> true;
      default -> false;
    };
  }

  static List<Attribute> referenced(Root root) {
    List<Attribute> out = new ArrayList<>();
    Referenced.root(root, out);
    return out;
  }
}

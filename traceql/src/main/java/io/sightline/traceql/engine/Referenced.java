package io.sightline.traceql.engine;

import io.sightline.traceql.syntax.Aggregate;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.BinaryOperation;
import io.sightline.traceql.syntax.Coalesce;
import io.sightline.traceql.syntax.Element;
import io.sightline.traceql.syntax.FieldExpr;
import io.sightline.traceql.syntax.GroupBy;
import io.sightline.traceql.syntax.MetricsQuery;
import io.sightline.traceql.syntax.Pipeline;
import io.sightline.traceql.syntax.Root;
import io.sightline.traceql.syntax.ScalarExpr;
import io.sightline.traceql.syntax.ScalarFilter;
import io.sightline.traceql.syntax.ScalarOperation;
import io.sightline.traceql.syntax.ScalarPipeline;
import io.sightline.traceql.syntax.Select;
import io.sightline.traceql.syntax.SpansetFilter;
import io.sightline.traceql.syntax.SpansetOperation;
import io.sightline.traceql.syntax.SpansetQuery;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.UnaryOperation;
import java.util.List;

/** Every field a query names, in order of first mention: what Tempo fetches, and so returns, with each span. */
final class Referenced {
  private Referenced() {}

  static void root(Root r, List<Attribute> out) {
    switch (r) {
      case SpansetQuery s -> element(s.element(), out);
      case MetricsQuery m -> element(m.spans(), out);
      default -> { }
    }
  }

  private static void element(Element e, List<Attribute> out) {
    switch (e) {
      case SpansetFilter f -> field(f.expr(), out);
      case SpansetOperation o -> {
        element(o.lhs(), out);
        element(o.rhs(), out);
      }
      case Pipeline p -> p.stages().forEach(s -> element(s, out));
      case ScalarFilter f -> {
        scalar(f.lhs(), out);
        scalar(f.rhs(), out);
      }
      case GroupBy g -> field(g.expr(), out);
      case Coalesce c -> { }
      case Select s -> s.attributes().forEach(a -> field(a, out));
    }
  }

  private static void scalar(ScalarExpr s, List<Attribute> out) {
    switch (s) {
      case Aggregate a -> {
        if (a.expr() != null) {
          field(a.expr(), out);
        }
      }
      case Static st -> { }
      case ScalarOperation o -> {
        scalar(o.lhs(), out);
        scalar(o.rhs(), out);
      }
      case ScalarPipeline p -> {
        element(p.pipeline(), out);
        scalar(p.aggregate(), out);
      }
    }
  }

  private static void field(FieldExpr e, List<Attribute> out) {
    switch (e) {
      case Attribute a -> {
        if (!out.contains(a)) {
          out.add(a);
        }
      }
      case BinaryOperation b -> {
        field(b.lhs(), out);
        field(b.rhs(), out);
      }
      case UnaryOperation u -> field(u.expr(), out);
      case Static s -> { }
    }
  }
}

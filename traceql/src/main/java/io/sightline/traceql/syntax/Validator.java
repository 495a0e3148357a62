package io.sightline.traceql.syntax;

import io.sightline.core.model.Re2;
import java.util.regex.PatternSyntaxException;

/**
 * Tempo's {@code validate()}: what parses but must be refused, with Tempo's messages. Types are checked where they
 * are known from the query alone; an attribute's type is only known per span, so it matches anything here.
 */
public final class Validator {
  /** Tempo keeps one of its group-by slots for the bucket label. */
  private static final int MAX_GROUP_BYS = 5;

  private Validator() {}

  public static void validate(Query q) throws ValidationException {
    try {
      root(q.root());
    } catch (Invalid e) {
      throw new ValidationException(e.getMessage(), e.unsupported);
    }
  }

  /** Parses and validates: what Tempo's {@code Compile} accepts. */
  public static Query parseValid(String query) throws TraceQLException {
    Query q = Parser.parse(query);
    validate(q);
    return q;
  }

  /**
   * The error for a valid query that search cannot run: Tempo's {@code math expressions not supported} for
   * arithmetic between metrics queries, and a refusal of a lone metrics query, which belongs to query_range.
   */
  public static ValidationException notSearchable(Query q) {
    return switch (q.root()) {
      case MetricsMath m -> new ValidationException("math expressions not supported", true);
      case MetricsConstant c -> new ValidationException("math expressions not supported", true);
      default -> new ValidationException("metrics queries are not supported by search: " + Printer.print(q), false);
    };
  }

  private static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean unsupported;

    Invalid(String message, boolean unsupported) {
      super(message, null, false, false);
      this.unsupported = unsupported;
    }
  }

  private static Invalid invalid(String message) {
    return new Invalid(message, false);
  }

  private static Invalid unsupported(String feature) {
    return new Invalid(feature + " not yet supported", true);
  }

  private static void root(Root r) {
    switch (r) {
      case SpansetQuery s -> element(s.element());
      case MetricsQuery m -> {
        element(m.spans());
        first(m.first());
        for (SecondStage s : m.second()) {
          second(s);
        }
        if (m.first() instanceof MetricsCompare && !m.second().isEmpty()) {
          throw invalid("`compare()` cannot be used with second stage functions");
        }
      }
      case MetricsMath m -> {
        if (m.lhs() instanceof MetricsQuery q && q.first() instanceof MetricsCompare
            || m.rhs() instanceof MetricsQuery q2 && q2.first() instanceof MetricsCompare) {
          throw invalid("`compare()` cannot be used with second stage functions");
        }
        root(m.lhs());
        root(m.rhs());
        for (SecondStage s : m.second()) {
          second(s);
        }
      }
      case MetricsConstant c -> { }
    }
  }

  private static void first(FirstStage f) {
    switch (f) {
      case MetricsAggregate a -> {
        if (a.attribute() != null) {
          field(a.attribute());
        }
        for (Attribute by : a.by()) {
          field(by);
        }
        boolean bucketed = a.function() == MetricsFunction.QUANTILE_OVER_TIME
            || a.function() == MetricsFunction.HISTOGRAM_OVER_TIME;
        if (bucketed ? a.by().size() >= MAX_GROUP_BYS : a.by().size() > MAX_GROUP_BYS) {
          throw unsupported("metrics group by " + a.by().size() + " values");
        }
        for (double q : a.quantiles()) {
          if (q < 0 || q > 1) {
            throw invalid("quantile must be between 0 and 1: " + Printer.floatText(q).replaceAll("\\.0$", ""));
          }
        }
      }
      case MetricsCompare c -> element(c.selection());
    }
  }

  private static void second(SecondStage s) {
    if (s instanceof TopK t && t.k() <= 0) {
      throw invalid("limit must be greater than 0");
    }
  }

  private static void element(Element e) {
    switch (e) {
      case SpansetFilter f -> {
        field(f.expr());
        StaticType t = type(f.expr());
        if (t != StaticType.ATTRIBUTE && t != StaticType.BOOLEAN) {
          throw invalid("span filter field expressions must resolve to a boolean: " + Printer.print(f));
        }
      }
      case SpansetOperation o -> {
        element(o.lhs());
        element(o.rhs());
      }
      case Pipeline p -> p.stages().forEach(Validator::element);
      case ScalarFilter f -> {
        scalar(f.lhs());
        scalar(f.rhs());
        checkOperands(f.op(), type(f.lhs()), type(f.rhs()), Printer.print(f));
        if (!(f.lhs() instanceof Aggregate)) {
          throw unsupported("scalar filter lhs of type (%v)");
        }
        if (!(f.rhs() instanceof Static)) {
          throw unsupported("scalar filter rhs of type (%v)");
        }
      }
      case GroupBy g -> {
        if (!referencesSpan(g.expr())) {
          throw invalid("grouping field expressions must reference the span: " + Printer.print(g));
        }
        field(g.expr());
      }
      case Coalesce c -> { }
      case Select s -> s.attributes().forEach(Validator::field);
    }
  }

  private static void scalar(ScalarExpr s) {
    switch (s) {
      case Aggregate a -> {
        if (a.expr() == null) {
          return;
        }
        field(a.expr());
        StaticType t = type(a.expr());
        if (t != StaticType.ATTRIBUTE && !t.isNumeric()) {
          throw invalid("aggregate field expressions must resolve to a number type: " + Printer.print(a));
        }
        if (!referencesSpan(a.expr())) {
          throw invalid("aggregate field expressions must reference the span: " + Printer.print(a));
        }
      }
      case Static st -> { }
      case ScalarOperation o -> {
        scalar(o.lhs());
        scalar(o.rhs());
        checkOperands(o.op(), type(o.lhs()), type(o.rhs()), Printer.print(o));
      }
      case ScalarPipeline p -> {
        element(p.pipeline());
        scalar(p.aggregate());
      }
    }
  }

  private static void checkOperands(Op op, StaticType l, StaticType r, String text) {
    if (!l.matches(r)) {
      throw invalid("binary operations must operate on the same type: " + text);
    }
    if (!op.binaryTypesValid(l, r)) {
      throw invalid("illegal operation for the given types: " + text);
    }
  }

  private static void field(FieldExpr e) {
    switch (e) {
      case Static s -> { }
      case Attribute a -> {
        if (a.parent()) {
          throw unsupported("parent");
        }
        if (a.intrinsic() == Intrinsic.PARENT) {
          throw unsupported("intrinsic (parent)");
        }
      }
      case BinaryOperation b -> {
        field(b.lhs());
        field(b.rhs());
        StaticType l = type(b.lhs());
        StaticType r = type(b.rhs());
        checkOperands(b.op(), l, r, Printer.print(b));
        if (b.op() == Op.RE || b.op() == Op.NRE) {
          if (!(b.rhs() instanceof Static s) || s.type() != StaticType.STRING) {
            throw invalid("invalid type for =~ or !~: " + Printer.print(b.rhs()));
          }
          try {
            Re2.compile(s.asString(), 0);
          } catch (PatternSyntaxException ex) {
            throw invalid("invalid regex: " + Printer.print(b.rhs()));
          }
        }
      }
      case UnaryOperation u -> {
        field(u.expr());
        if (u.op() == Op.NOT_EXISTS && u.expr() instanceof Attribute a) {
          if (a.intrinsic() != null) {
            throw invalid(Printer.print(a) + "=nil is not valid because intrinsics cannot be nil");
          }
          if (a.scope() == Scope.RESOURCE && !a.parent() && a.name().equals("service.name")) {
            throw invalid(Printer.print(a) + "=nil is not valid because resource.service.name cannot be nil");
          }
        }
        StaticType t = type(u.expr());
        if (t == StaticType.ATTRIBUTE) {
          return;
        }
        boolean ok = switch (u.op()) {
          case SUB -> t.isNumeric();
          case NOT -> t == StaticType.BOOLEAN;
          default -> true;
        };
        if (!ok) {
          throw invalid("illegal operation for the given type: " + Printer.print(u));
        }
      }
    }
  }

  /** The type a field expression has whatever the span, or {@link StaticType#ATTRIBUTE} (Tempo's impliedType). */
  public static StaticType type(FieldExpr e) {
    return switch (e) {
      case Static s -> s.type();
      case Attribute a -> a.intrinsic() != null ? a.intrinsic().type() : StaticType.ATTRIBUTE;
      case BinaryOperation b -> b.op().isBoolean() ? StaticType.BOOLEAN : operandType(type(b.lhs()), type(b.rhs()));
      case UnaryOperation u -> u.op() == Op.SUB ? type(u.expr()) : StaticType.BOOLEAN;
    };
  }

  static StaticType type(ScalarExpr s) {
    return switch (s) {
      case Aggregate a -> a.op() == AggregateOp.COUNT || a.expr() == null ? StaticType.INT : type(a.expr());
      case Static st -> st.type();
      case ScalarOperation o -> o.op().isBoolean() ? StaticType.BOOLEAN : operandType(type(o.lhs()), type(o.rhs()));
      case ScalarPipeline p -> type(p.aggregate());
    };
  }

  private static StaticType operandType(StaticType l, StaticType r) {
    return l != StaticType.ATTRIBUTE ? l : r;
  }

  static boolean referencesSpan(FieldExpr e) {
    return switch (e) {
      case Static s -> false;
      case Attribute a -> true;
      case BinaryOperation b -> referencesSpan(b.lhs()) || referencesSpan(b.rhs());
      case UnaryOperation u -> referencesSpan(u.expr());
    };
  }
}

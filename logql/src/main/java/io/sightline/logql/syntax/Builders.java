package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;
import io.sightline.logql.syntax.LogSelectorExpr.MatchersExpr;
import io.sightline.logql.syntax.LogSelectorExpr.PipelineExpr;
import io.sightline.logql.syntax.SampleExpr.Grouping;
import java.util.Set;

/**
 * The constructors Loki's grammar actions call ({@code newRangeAggregationExpr}, {@code mustNewBinOpExpr}, ...), with
 * their checks and messages. A check that Loki makes by panicking throws a {@link Failure} at once; one that Loki
 * stores in the node returns an {@link InvalidExpr}, reported when validation reaches it.
 */
final class Builders {
  private static final Set<String> QUANTILE = Set.of("quantile_over_time");
  private static final Set<String> GROUPING_ALLOWED = Set.of("avg_over_time", "stddev_over_time",
      "stdvar_over_time", "quantile_over_time", "max_over_time", "min_over_time", "first_over_time",
      "last_over_time");
  private static final Set<String> UNWRAP_ALLOWED = Set.of("avg_over_time", "sum_over_time", "max_over_time",
      "min_over_time", "stddev_over_time", "stdvar_over_time", "quantile_over_time", "rate", "rate_counter",
      "absent_over_time", "first_over_time", "last_over_time");
  private static final Set<String> WITHOUT_UNWRAP = Set.of("bytes_over_time", "bytes_rate", "count_over_time",
      "rate", "absent_over_time");

  private Builders() {}

  private static InvalidExpr invalid(String problem) {
    return new InvalidExpr(new ParseException(problem, 0, 0), false);
  }

  static LabelMatcher matcher(LabelMatcher.Type type, Object name, Object value) {
    String n = (String) name;
    String v = (String) value;
    if (type == LabelMatcher.Type.REGEX || type == LabelMatcher.Type.NOT_REGEX) {
      try {
        return new LabelMatcher(type, n, v, GoRegex.parse(v, true).anchored()); // Prometheus: (?s)
      } catch (GoRegex.SyntaxError e) {
        throw Failure.of(e.getMessage());
      }
    }
    return new LabelMatcher(type, n, v, null);
  }

  static SampleExpr rangeAggregation(LogRangeExpr left, String op, Grouping grouping, String param) {
    Double parameter = null;
    if (param != null) {
      if (!QUANTILE.contains(op)) {
        return invalid("parameter " + param + " not supported for operation " + op);
      }
      try {
        parameter = GoStrconv.parseFloat(param);
      } catch (NumberFormatException e) {
        return invalid("invalid parameter for operation " + op + ": " + e.getMessage());
      }
    } else if (QUANTILE.contains(op)) {
      return invalid("parameter required for operation " + op);
    }
    if (grouping != null && !GROUPING_ALLOWED.contains(op)) {
      return invalid("grouping not allowed for " + op + " aggregation");
    }
    if (left.unwrap() != null) {
      if (!UNWRAP_ALLOWED.contains(op)) {
        return invalid("invalid aggregation " + op + " with unwrap");
      }
    } else if (!WITHOUT_UNWRAP.contains(op)) {
      return invalid("invalid aggregation " + op + " without unwrap");
    }
    return new SampleExpr.RangeAggregationExpr(left, op, parameter, grouping);
  }

  static SampleExpr vectorAggregation(SampleExpr left, String op, Grouping grouping, String param) {
    int p = 0;
    switch (op) {
      case "bottomk", "topk", "approx_topk" -> {
        if (param == null) {
          return invalid("parameter required for operation " + op);
        }
        try {
          p = GoStrconv.atoi(param);
        } catch (NumberFormatException e) {
          return invalid("invalid parameter " + op + "(" + param + ",");
        }
        if (p <= 0) {
          return invalid("invalid parameter (must be greater than 0) " + op + "(" + param);
        }
        if (op.equals("approx_topk") && grouping != null) {
          return invalid("grouping not allowed for " + op + " aggregation");
        }
      }
      default -> {
        if (param != null) {
          return invalid("unsupported parameter for operation " + op + "(" + param + ",");
        }
      }
    }
    return new SampleExpr.VectorAggregationExpr(left, grouping == null ? new Grouping(null, false) : grouping, p, op);
  }

  static SampleExpr labelReplace(SampleExpr left, String dst, String replacement, String src, String regex) {
    try {
      GoRegex anchored = GoRegex.parse("^(?:" + regex + ")$");
      return new SampleExpr.LabelReplaceExpr(left, dst, replacement, src, regex, anchored.pattern());
    } catch (GoRegex.SyntaxError e) {
      return invalid("invalid regex in label_replace: " + e.getMessage());
    }
  }

  static StageExpr.LineParserExpr lineParser(String op, String param) {
    try {
      if (op.equals("regexp")) {
        RegexpSyntax.check(param);
      } else {
        PatternSyntax.parse(param);
      }
    } catch (IllegalArgumentException e) {
      throw Failure.of("invalid " + op + " parser: " + e.getMessage());
    }
    return new StageExpr.LineParserExpr(op, param);
  }

  /**
   * A string label filter: Loki prints a positive regex in back quotes when its simplifier cannot reduce it to
   * string comparisons ({@code LineFilterLabelFilter} over a {@code regexpFilter}).
   */
  static LabelFilter stringFilter(LabelMatcher m) {
    boolean raw = m.type() == LabelMatcher.Type.REGEX && !RegexSimplifier.simplifiable(GoRegex.of(m.value()));
    return new LabelFilter.StringFilter(m, raw);
  }

  static LabelFilter numericFilter(String name, LabelFilter.Op op, SampleExpr literal) {
    if (literal instanceof InvalidExpr bad) {
      throw new Failure(bad.error());
    }
    return new LabelFilter.NumericFilter(name, op, ((LiteralExpr) literal).value());
  }

  static SampleExpr literal(String number, boolean negate) {
    try {
      double v = GoStrconv.parseFloat(number);
      return new LiteralExpr(negate ? -v : v);
    } catch (NumberFormatException e) {
      return new InvalidExpr(new ParseException("unable to parse literal as a float: " + e.getMessage(), 0, 0),
          true);
    }
  }

  static SampleExpr vector(String number) {
    try {
      return new VectorExpr(GoStrconv.parseFloat(number));
    } catch (NumberFormatException e) {
      return invalid("unable to parse vectorExpr as a float: " + e.getMessage());
    }
  }

  private static String goType(Expr e) {
    return switch (e) {
      case MatchersExpr m -> "*syntax.MatchersExpr";
      case PipelineExpr p -> "*syntax.PipelineExpr";
      default -> "*syntax." + e.getClass().getSimpleName();
    };
  }

  /** Loki's {@code mustNewBinOpExpr}: log queries are refused as operands, and two literals fold into one. */
  static SampleExpr binOp(String op, BinOpOptions options, Expr lhs, Expr rhs) {
    if (!(lhs instanceof SampleExpr left)) {
      return invalid("unexpected type for left leg of binary operation (" + op + "): " + goType(lhs));
    }
    if (!(rhs instanceof SampleExpr right)) {
      return invalid("unexpected type for right leg of binary operation (" + op + "): " + goType(rhs));
    }
    if (left instanceof InvalidExpr l && l.literal()) {
      return new InvalidExpr(l.error(), false);
    }
    if (right instanceof InvalidExpr r && r.literal()) {
      return new InvalidExpr(r.error(), false);
    }
    boolean logical = op.equals("or") || op.equals("and") || op.equals("unless");
    if (logical) {
      if (left instanceof LiteralExpr l) {
        return invalid("unexpected literal for left leg of logical/set binary operation (" + op + "): "
            + Printer.fixed6(l.value()));
      }
      if (right instanceof LiteralExpr r) {
        return invalid("unexpected literal for right leg of logical/set binary operation (" + op + "): "
            + Printer.fixed6(r.value()));
      }
    }
    if (left instanceof LiteralExpr l && right instanceof LiteralExpr r) {
      return new LiteralExpr(fold(op, l.value(), r.value()));
    }
    return new SampleExpr.BinOpExpr(left, op, options, right);
  }

  /** Loki's {@code MergeBinOp} on two scalars: comparisons give 1 or 0, division by zero NaN. */
  static double fold(String op, double a, double b) {
    return switch (op) {
      case "+" -> a + b;
      case "-" -> a - b;
      case "*" -> a * b;
      case "/" -> b == 0 ? Double.NaN : a / b;
      case "%" -> b == 0 ? Double.NaN : goMod(a, b);
      case "^" -> Math.pow(a, b);
      case "==" -> a == b ? 1 : 0;
      case "!=" -> a != b ? 1 : 0;
      case ">" -> a > b ? 1 : 0;
      case ">=" -> a >= b ? 1 : 0;
      case "<" -> a < b ? 1 : 0;
      case "<=" -> a <= b ? 1 : 0;
      default -> throw new IllegalStateException(op);
    };
  }

  /** Go's {@code math.Mod}: the result has the sign of {@code a}, as Java's {@code %} on doubles. */
  private static double goMod(double a, double b) {
    return a % b;
  }
}

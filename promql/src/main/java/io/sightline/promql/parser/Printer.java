package io.sightline.promql.parser;

import io.sightline.core.model.Durations;
import io.sightline.core.model.LabelMatcher;
import java.util.List;
import java.util.stream.Collectors;

/** Writes an expression back as PromQL, in Prometheus' canonical form ({@code String()} of its AST nodes). */
public final class Printer {
  private Printer() {}

  public static String print(Expr e) {
    return switch (e) {
      case NumberLiteral n -> number(n.value());
      case StringLiteral s -> quote(s.value());
      case VectorSelector v -> selector(v) + modifiers(v.offsetMs(), v.at());
      case MatrixSelector m -> selector(m.selector()) + "[" + Durations.format(m.rangeMs()) + "]"
          + modifiers(m.selector().offsetMs(), m.selector().at());
      case Subquery s -> print(s.expr()) + "[" + Durations.format(s.rangeMs()) + ":"
          + (s.stepMs() == 0 ? "" : Durations.format(s.stepMs())) + "]" + modifiers(s.offsetMs(), s.at());
      case ParenExpr p -> "(" + print(p.expr()) + ")";
      case UnaryExpr u -> "-" + print(u.expr());
      case BinaryExpr b -> print(b.lhs()) + " " + b.op().symbol() + (b.returnBool() ? " bool" : "")
          + matching(b.matching()) + " " + print(b.rhs());
      case Call c -> c.function().name() + "(" + c.args().stream().map(Printer::print)
          .collect(Collectors.joining(", ")) + ")";
      case AggregateExpr a -> a.op().keyword() + grouping(a) + "("
          + (a.parameter() == null ? "" : print(a.parameter()) + ", ") + print(a.expr()) + ")";
    };
  }

  private static String selector(VectorSelector v) {
    StringBuilder sb = new StringBuilder(v.metricName() == null ? "" : v.metricName()).append('{');
    boolean first = true;
    for (LabelMatcher m : v.matchers()) {
      if (v.metricName() != null && m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQUAL) {
        continue;
      }
      sb.append(first ? "" : ", ").append(m);
      first = false;
    }
    String s = sb.append('}').toString();
    return s.endsWith("{}") && v.metricName() != null ? v.metricName() : s;
  }

  private static String modifiers(long offsetMs, At at) {
    StringBuilder sb = new StringBuilder();
    if (at != null) {
      sb.append(" @ ").append(switch (at.kind()) {
        case START -> "start()";
        case END -> "end()";
        case TIMESTAMP -> String.format(java.util.Locale.ROOT, "%.3f", at.timestampMs() / 1000.0);
      });
    }
    if (offsetMs > 0) {
      sb.append(" offset ").append(Durations.format(offsetMs));
    } else if (offsetMs < 0) {
      sb.append(" offset -").append(Durations.format(-offsetMs));
    }
    return sb.toString();
  }

  private static String matching(VectorMatching m) {
    if (m == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    if (m.on() || !m.labels().isEmpty()) {
      sb.append(m.on() ? " on " : " ignoring ").append(list(m.labels()));
    }
    switch (m.cardinality()) {
      case MANY_TO_ONE -> sb.append(" group_left ").append(list(m.include()));
      case ONE_TO_MANY -> sb.append(" group_right ").append(list(m.include()));
      default -> { }
    }
    return sb.toString();
  }

  private static String grouping(AggregateExpr a) {
    if (a.without()) {
      return " without " + list(a.grouping()) + " ";
    }
    return a.grouping().isEmpty() ? "" : " by " + list(a.grouping()) + " ";
  }

  private static String list(List<String> labels) {
    return "(" + String.join(", ", labels) + ")";
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return io.sightline.core.model.GoFormat.json(v);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}

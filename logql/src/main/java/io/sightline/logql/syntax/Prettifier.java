package io.sightline.logql.syntax;

import io.sightline.core.model.Durations;
import io.sightline.logql.syntax.LogSelectorExpr.MatchersExpr;
import io.sightline.logql.syntax.LogSelectorExpr.PipelineExpr;
import io.sightline.logql.syntax.SampleExpr.BinOpExpr;
import io.sightline.logql.syntax.SampleExpr.Grouping;
import io.sightline.logql.syntax.SampleExpr.LabelReplaceExpr;
import io.sightline.logql.syntax.SampleExpr.RangeAggregationExpr;
import io.sightline.logql.syntax.SampleExpr.VectorAggregationExpr;
import java.util.ArrayList;
import java.util.List;

/**
 * Loki's {@code syntax.Prettify}, which {@code /loki/api/v1/format_query} answers with: an expression whose printed
 * form fits in 100 characters stays on one line; longer ones are split by operand, two spaces per level. Loki's
 * quirks are kept (a split line filter loses its {@code or} alternatives, {@code decolorize} is not indented, an
 * offset is written in Prometheus' notation).
 */
public final class Prettifier {
  /** Loki's {@code MaxCharsPerLine}. */
  public static final int MAX_CHARS_PER_LINE = 100;

  private final int width;

  private Prettifier(int width) {
    this.width = width;
  }

  public static String prettify(Expr e) {
    return prettify(e, MAX_CHARS_PER_LINE);
  }

  /** With another line width (Loki's tests use 20). */
  public static String prettify(Expr e, int maxCharsPerLine) {
    return new Prettifier(maxCharsPerLine).pretty(e, 0);
  }

  private static String indent(int level) {
    return "  ".repeat(level);
  }

  private boolean split(Object e) {
    return e.toString().length() > width;
  }

  private String pretty(Expr e, int level) {
    return switch (e) {
      case MatchersExpr m -> indent(level) + m;
      case PipelineExpr p -> {
        if (!split(p)) {
          yield indent(level) + p;
        }
        StringBuilder s = new StringBuilder(pretty(p.left(), level)).append('\n');
        for (int i = 0; i < p.stages().size(); i++) {
          s.append(stage(p.stages().get(i), level + 1));
          if (i < p.stages().size() - 1) {
            s.append('\n');
          }
        }
        yield s.toString();
      }
      case LiteralExpr l -> indent(level) + l;
      case VectorExpr v -> indent(level) + v;
      case RangeAggregationExpr r -> {
        if (!split(r)) {
          yield indent(level) + r;
        }
        StringBuilder s = new StringBuilder(indent(level)).append(r.operation()).append("(\n");
        if (r.parameter() != null) {
          s.append(indent(level + 1)).append(GoStrconv.formatG(r.parameter())).append(",\n");
        }
        s.append(range(r.left(), level + 1)).append('\n').append(indent(level)).append(')');
        if (r.grouping() != null) {
          s.append(grouping(r.grouping()));
        }
        yield s.toString();
      }
      case VectorAggregationExpr v -> {
        if (!split(v)) {
          yield indent(level) + v;
        }
        List<String> params = new ArrayList<>();
        String left = pretty(v.left(), level + 1);
        if (v.operation().equals("topk") || v.operation().equals("bottomk") || v.parameter() != 0) {
          params.add(indent(level + 1) + v.parameter());
        }
        params.add(left);
        StringBuilder s = new StringBuilder(indent(level)).append(v.operation()).append(grouping(v.grouping()))
            .append("(\n");
        for (int i = 0; i < params.size(); i++) {
          s.append(params.get(i)).append(i < params.size() - 1 ? "," : "").append('\n');
        }
        yield s.append(indent(level)).append(')').toString();
      }
      case BinOpExpr b -> {
        if (!split(b)) {
          yield indent(level) + b;
        }
        yield pretty(b.lhs(), level + 1) + "\n" + indent(level) + binaryOp(b.op(), b.options()) + "\n"
            + pretty(b.rhs(), level + 1);
      }
      case LabelReplaceExpr l -> {
        if (!split(l)) {
          yield indent(level) + l;
        }
        String[] params = {pretty(l.left(), level + 1), indent(level + 1) + Printer.quote(l.dst()),
            indent(level + 1) + Printer.quote(l.replacement()), indent(level + 1) + Printer.quote(l.src()),
            indent(level + 1) + Printer.quote(l.regex())};
        StringBuilder s = new StringBuilder(indent(level)).append("label_replace(\n");
        for (int i = 0; i < params.length; i++) {
          s.append(params[i]).append(i < params.length - 1 ? "," : "").append('\n');
        }
        yield s.append(indent(level)).append(')').toString();
      }
      case InvalidExpr bad -> throw new IllegalArgumentException("invalid expression");
    };
  }

  private String stage(StageExpr s, int level) {
    if (s instanceof StageExpr.DecolorizeExpr d) {
      return d.toString();
    }
    if (s instanceof LineFilterExpr f && split(f)) {
      StringBuilder b = new StringBuilder();
      if (f.left() != null) {
        b.append(stage(f.left(), level)).append('\n');
      }
      return b.append(indent(level)).append(new LineFilterExpr(f.type(), f.op, f.match())).toString();
    }
    return indent(level) + s;
  }

  private String range(LogRangeExpr r, int level) {
    StringBuilder s = new StringBuilder(pretty(r.left(), level));
    if (r.unwrap() != null) {
      s.append('\n').append(unwrap(r.unwrap(), level + 1));
    }
    s.append(" [").append(Durations.format(r.intervalNanos() / 1_000_000)).append(']');
    if (r.offsetNanos() != 0) {
      s.append(" offset ").append(Durations.format(r.offsetNanos() / 1_000_000));
    }
    return s.toString();
  }

  private static String unwrap(UnwrapExpr u, int level) {
    StringBuilder s = new StringBuilder(indent(level)).append("| unwrap ");
    if (!u.operation().isEmpty()) {
      s.append(u.operation()).append('(').append(u.identifier()).append(')');
    } else {
      s.append(u.identifier());
    }
    for (LabelFilter f : u.postFilters()) {
      s.append('\n').append(indent(level)).append("| ").append(f);
    }
    return s.toString();
  }

  private static String grouping(Grouping g) {
    StringBuilder s = new StringBuilder();
    if (g.without()) {
      s.append(" without");
    } else if (!g.labelList().isEmpty()) {
      s.append(" by");
    }
    if (!g.labelList().isEmpty()) {
      s.append(" (").append(String.join(", ", g.labelList())).append(')');
    }
    return s.toString();
  }

  private static String binaryOp(String op, BinOpOptions o) {
    if (o.returnBool()) {
      op += " bool";
    }
    String group = switch (o.cardinality()) {
      case MANY_TO_ONE -> "group_left";
      case ONE_TO_MANY -> "group_right";
      case ONE_TO_ONE -> "";
    };
    if (o.include() != null && !o.include().isEmpty()) {
      group = group + " (" + String.join(", ", o.include()) + ")";
    }
    if (o.matchingLabels() != null && !o.matchingLabels().isEmpty()) {
      op = op + " " + (o.on() ? "on" : "ignoring") + " (" + String.join(", ", o.matchingLabels()) + ") " + group;
    }
    return op;
  }
}

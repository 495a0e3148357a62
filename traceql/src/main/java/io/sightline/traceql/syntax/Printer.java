package io.sightline.traceql.syntax;

import io.sightline.core.model.GoFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the AST back as TraceQL that parses to the same AST. Attributes, aggregates and {@code by()} print as
 * Tempo's {@code String()} does, because those strings are keys in search results ({@code by(resource.service.name)},
 * {@code avg(duration)}).
 */
public final class Printer {
  private Printer() {}

  public static String print(Query q) {
    String root = print(q.root());
    if (q.hints().isEmpty()) {
      return root;
    }
    return root + " with(" + q.hints().stream().map(h -> h.name() + "=" + print(h.value()))
        .collect(Collectors.joining(", ")) + ")";
  }

  public static String print(Root root) {
    return switch (root) {
      case SpansetQuery s -> pipelineText(s.element());
      case MetricsQuery m -> pipelineText(m.spans()) + " | " + print(m.first()) + second(m.second());
      case MetricsMath m -> operand(m.lhs()) + " " + m.op().symbol() + " " + operand(m.rhs()) + second(m.second());
      case MetricsConstant c -> number(c.value());
    };
  }

  private static String pipelineText(Element e) {
    return e instanceof Pipeline p ? stages(p) : print(e);
  }

  private static String operand(Root r) {
    return r instanceof MetricsConstant c ? number(c.value()) : "(" + print(r) + ")";
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : GoFormat.plain(v);
  }

  private static String second(List<SecondStage> stages) {
    StringBuilder b = new StringBuilder();
    for (SecondStage s : stages) {
      switch (s) {
        case TopK t -> b.append(" | ").append(t.bottom() ? "bottomk" : "topk").append('(').append(t.k()).append(')');
        case MetricsFilter f -> b.append(' ').append(f.op().symbol()).append(' ').append(print(f.value()));
      }
    }
    return b.toString();
  }

  public static String print(FirstStage first) {
    return switch (first) {
      case MetricsAggregate a -> {
        StringBuilder b = new StringBuilder(a.function().keyword()).append('(');
        if (a.attribute() != null) {
          b.append(print(a.attribute()));
        }
        for (double q : a.quantiles()) {
          b.append(", ").append(GoFormat.plain(q));
        }
        b.append(')');
        if (!a.by().isEmpty()) {
          b.append(" by (").append(a.by().stream().map(Printer::print).collect(Collectors.joining(", ")))
              .append(')');
        }
        yield b.toString();
      }
      case MetricsCompare c -> "compare(" + print(c.selection()) + ", " + c.topN()
          + (c.start() != 0 || c.end() != 0 ? ", " + c.start() + ", " + c.end() : "") + ")";
    };
  }

  public static String print(Element e) {
    return switch (e) {
      case SpansetFilter f -> "{ " + print(f.expr()) + " }";
      case SpansetOperation o -> spansetOperand(o.lhs()) + " " + o.op().symbol() + " " + spansetOperand(o.rhs());
      case Pipeline p -> "(" + stages(p) + ")";
      case ScalarFilter f -> scalar(f.lhs()) + " " + f.op().symbol() + " " + scalar(f.rhs());
      case GroupBy g -> "by(" + print(g.expr()) + ")";
      case Coalesce c -> "coalesce()";
      case Select s -> "select(" + s.attributes().stream().map(Printer::print).collect(Collectors.joining(", "))
          + ")";
    };
  }

  private static String stages(Pipeline p) {
    return p.stages().stream().map(Printer::print).collect(Collectors.joining(" | "));
  }

  private static String spansetOperand(Element e) {
    return e instanceof SpansetFilter ? print(e) : e instanceof Pipeline ? print(e) : "(" + print(e) + ")";
  }

  public static String print(ScalarExpr s) {
    return scalar(s);
  }

  private static String scalar(ScalarExpr s) {
    return switch (s) {
      case Aggregate a -> a.op().keyword() + "(" + (a.expr() == null ? "" : print(a.expr())) + ")";
      case Static st -> print(st);
      case ScalarOperation o -> "(" + scalar(o.lhs()) + " " + o.op().symbol() + " " + scalar(o.rhs()) + ")";
      case ScalarPipeline p -> "(" + stages(p.pipeline()) + " | " + scalar(p.aggregate()) + ")";
    };
  }

  public static String print(FieldExpr e) {
    return switch (e) {
      case Static s -> print(s);
      case Attribute a -> print(a);
      case BinaryOperation b -> wrap(b.lhs()) + " " + b.op().symbol() + " " + wrap(b.rhs());
      case UnaryOperation u -> switch (u.op()) {
        case EXISTS -> wrap(u.expr()) + " != nil";
        case NOT_EXISTS -> wrap(u.expr()) + " = nil";
        case SUB -> "-" + wrap(u.expr());
        default -> u.op().symbol() + wrap(u.expr());
      };
    };
  }

  private static String wrap(FieldExpr e) {
    if (e instanceof Attribute || e instanceof Static s && !isNegative(s)) {
      return print(e);
    }
    return "(" + print(e) + ")";
  }

  private static boolean isNegative(Static s) {
    return (s.type() == StaticType.INT || s.type() == StaticType.DURATION) && s.asLong() < 0
        || s.type() == StaticType.FLOAT && s.asDouble() < 0;
  }

  public static String print(Attribute a) {
    if (a.intrinsic() != null) {
      return a.intrinsic().printed();
    }
    StringBuilder b = new StringBuilder();
    if (a.parent()) {
      b.append("parent.");
    }
    if (a.scope() != Scope.NONE) {
      b.append(a.scope().keyword()).append('.');
    }
    if (b.isEmpty()) {
      b.append('.');
    }
    return b.append(attributeName(a.name())).toString();
  }

  private static String attributeName(String name) {
    boolean plain = !name.isEmpty();
    for (int i = 0; i < name.length() && plain; i++) {
      char c = name.charAt(i);
      plain = Lexer.isAttributeChar(c) && c != '"' && c != '\\';
    }
    if (plain) {
      return name;
    }
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A value as Tempo's {@code Static.String}: strings in backquotes, floats always with a point or exponent. */
  public static String print(Static s) {
    return switch (s.type()) {
      case NIL -> "nil";
      case INT -> s.asLong() == Long.MIN_VALUE ? "minInt" : Long.toString(s.asLong());
      case FLOAT -> floatText(s.asDouble());
      case STRING -> s.asString().indexOf('`') < 0 ? "`" + s.asString() + "`" : quoted(s.asString());
      case BOOLEAN -> Boolean.toString(s.asBool());
      case DURATION -> Durations.format(s.asLong());
      case STATUS -> ((Status) s.value()).keyword();
      case KIND -> ((Kind) s.value()).keyword();
      default -> "[" + s.elements().stream().map(Printer::print).collect(Collectors.joining(", ")) + "]";
    };
  }

  /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)}, with {@code .0} added to tell it from an int. */
  static String floatText(double f) {
    if (Double.isNaN(f) || Double.isInfinite(f) || f == 0) {
      return f == 0 ? "0.0" : GoFormat.plain(f);
    }
    int exp = (int) Math.floor(Math.log10(Math.abs(f)));
    String text = exp < -4 || exp >= 21 ? GoFormat.exponent(f, true) : GoFormat.plain(f);
    return text.contains(".") || text.contains("e") ? text : text + ".0";
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}

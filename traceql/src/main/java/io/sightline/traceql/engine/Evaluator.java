package io.sightline.traceql.engine;

import io.opentelemetry.proto.trace.v1.Span;
import io.sightline.traceql.syntax.Aggregate;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.BinaryOperation;
import io.sightline.traceql.syntax.Coalesce;
import io.sightline.traceql.syntax.Element;
import io.sightline.traceql.syntax.FieldExpr;
import io.sightline.traceql.syntax.GroupBy;
import io.sightline.traceql.syntax.Op;
import io.sightline.traceql.syntax.Pipeline;
import io.sightline.traceql.syntax.Printer;
import io.sightline.traceql.syntax.ScalarFilter;
import io.sightline.traceql.syntax.Scope;
import io.sightline.traceql.syntax.Select;
import io.sightline.traceql.syntax.SpansetFilter;
import io.sightline.traceql.syntax.SpansetOperation;
import io.sightline.traceql.syntax.SpansetOperator;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.StaticType;
import io.sightline.traceql.syntax.UnaryOperation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tempo's pipeline evaluation: every stage maps the spansets of one trace to new spansets; the first stage sees one
 * spanset of all the trace's spans. The switch over the sealed AST is the whole interpreter.
 */
final class Evaluator {
  private Evaluator() {}

  static List<Spanset> evaluate(Element e, List<Spanset> input) {
    return switch (e) {
      case SpansetFilter f -> filter(f, input);
      case SpansetOperation o -> spansetOperation(o, input);
      case Pipeline p -> {
        List<Spanset> current = input;
        for (Element stage : p.stages()) {
          current = evaluate(stage, current);
        }
        yield current;
      }
      case ScalarFilter f -> scalarFilter(f, input);
      case GroupBy g -> groupBy(g, input);
      case Coalesce c -> coalesce(input);
      case Select s -> input;
    };
  }

  // ---- spanset filters ----

  private static List<Spanset> filter(SpansetFilter f, List<Spanset> input) {
    List<Spanset> out = new ArrayList<>();
    boolean events = uses(f.expr(), Scope.EVENT);
    boolean links = uses(f.expr(), Scope.LINK);
    for (Spanset ss : input) {
      List<SpanView> matching = new ArrayList<>();
      for (SpanView s : ss.spans) {
        if (matches(f.expr(), s, events, links)) {
          matching.add(s);
        }
      }
      if (!matching.isEmpty()) {
        out.add(ss.withSpans(matching));
      }
    }
    return out;
  }

  /**
   * Event and link fields are read from one event (one link) at a time: the span matches if some event makes the
   * expression true, so {@code event:name = "a" && event.x = 1} needs both on the same event.
   */
  static boolean matches(FieldExpr e, SpanView s, boolean events, boolean links) {
    List<Span.Event> evs = events && s.span.getEventsCount() > 0 ? s.span.getEventsList() : null;
    List<Span.Link> lks = links && s.span.getLinksCount() > 0 ? s.span.getLinksList() : null;
    for (int i = 0; i < (evs == null ? 1 : evs.size()); i++) {
      for (int j = 0; j < (lks == null ? 1 : lks.size()); j++) {
        Static r = eval(e, s, evs == null ? null : evs.get(i), lks == null ? null : lks.get(j));
        if (r.type() == StaticType.BOOLEAN && r.asBool()) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean uses(FieldExpr e, Scope scope) {
    return switch (e) {
      case Static s -> false;
      case Attribute a -> a.scope() == scope || a.intrinsic() != null && a.intrinsic().printed()
          .startsWith(scope.keyword() + ":");
      case BinaryOperation b -> uses(b.lhs(), scope) || uses(b.rhs(), scope);
      case UnaryOperation u -> uses(u.expr(), scope);
    };
  }

  static Static eval(FieldExpr e, SpanView s, Span.Event ev, Span.Link link) {
    return switch (e) {
      case Static st -> st;
      case Attribute a -> Attributes.read(a, s, ev, link);
      case BinaryOperation b -> {
        Static l = eval(b.lhs(), s, ev, link);
        if (l.type() == StaticType.BOOLEAN) {
          if (b.op() == Op.AND && !l.asBool()) {
            yield Static.FALSE;
          }
          if (b.op() == Op.OR && l.asBool()) {
            yield Static.TRUE;
          }
        }
        yield Values.binary(b.op(), l, eval(b.rhs(), s, ev, link));
      }
      case UnaryOperation u -> {
        Static v = eval(u.expr(), s, ev, link);
        yield switch (u.op()) {
          case NOT -> v.type() == StaticType.BOOLEAN ? Static.ofBool(!v.asBool()) : Static.NIL;
          case SUB -> switch (v.type()) {
            case INT -> Static.ofInt(-v.asLong());
            case DURATION -> Static.ofDuration(-v.asLong());
            case FLOAT -> Static.ofFloat(-v.asDouble());
            default -> Static.NIL;
          };
          case EXISTS -> Static.ofBool(!v.isNil());
          case NOT_EXISTS -> Static.ofBool(v.isNil());
          default -> Static.NIL;
        };
      }
    };
  }

  // ---- spanset operators ----

  private static List<Spanset> spansetOperation(SpansetOperation o, List<Spanset> input) {
    List<Spanset> out = new ArrayList<>();
    for (Spanset ss : input) {
      List<Spanset> lhs = evaluate(o.lhs(), List.of(ss));
      List<Spanset> rhs = evaluate(o.rhs(), List.of(ss));
      List<SpanView> matching;
      if (o.op() == SpansetOperator.AND) {
        matching = !lhs.isEmpty() && !rhs.isEmpty() ? uniqueSpans(lhs, rhs) : List.of();
      } else if (o.op() == SpansetOperator.UNION) {
        matching = !lhs.isEmpty() || !rhs.isEmpty() ? uniqueSpans(lhs, rhs) : List.of();
      } else {
        matching = Structural.join(o.op(), lhs, rhs);
      }
      if (!matching.isEmpty()) {
        out.add(ss.withSpans(matching));
      }
    }
    return out;
  }

  /** Tempo's {@code uniqueSpans}: the smaller side first, then what the larger adds. */
  private static List<SpanView> uniqueSpans(List<Spanset> a, List<Spanset> b) {
    int ca = a.stream().mapToInt(s -> s.spans.size()).sum();
    int cb = b.stream().mapToInt(s -> s.spans.size()).sum();
    List<Spanset> smaller = ca < cb ? a : b;
    List<Spanset> larger = ca < cb ? b : a;
    List<SpanView> out = new ArrayList<>();
    Set<SpanView> seen = new HashSet<>();
    for (Spanset s : smaller) {
      for (SpanView v : s.spans) {
        seen.add(v);
        out.add(v);
      }
    }
    for (Spanset s : larger) {
      for (SpanView v : s.spans) {
        if (!seen.contains(v)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  // ---- pipeline stages ----

  private static List<Spanset> scalarFilter(ScalarFilter f, List<Spanset> input) {
    Aggregate agg = (Aggregate) f.lhs();
    Static bound = (Static) f.rhs();
    List<Spanset> out = new ArrayList<>();
    for (Spanset ss : Aggregates.apply(agg, input)) {
      if (compare(f.op(), ss.scalar, bound)) {
        out.add(ss);
      }
    }
    return out;
  }

  /** Tempo's {@code binOp} for scalar filters: numbers compare as floats. */
  private static boolean compare(Op op, Static l, Static r) {
    if (!l.type().matches(r.type()) || !op.binaryTypesValid(l.type(), r.type())) {
      return false;
    }
    return switch (op) {
      case GT -> l.asDouble() > r.asDouble();
      case GTE -> l.asDouble() >= r.asDouble();
      case LT -> l.asDouble() < r.asDouble();
      case LTE -> l.asDouble() <= r.asDouble();
      case EQ -> Values.equal(l, r);
      case NEQ -> !l.isNil() && !r.isNil() && !Values.equal(l, r);
      default -> false;
    };
  }

  /** One spanset per distinct value, in the order values are first met; missing values group under nil. */
  private static List<Spanset> groupBy(GroupBy g, List<Spanset> input) {
    String key = Printer.print(g);
    List<Spanset> out = new ArrayList<>();
    for (Spanset ss : input) {
      Map<Object, Spanset> groups = new LinkedHashMap<>();
      for (SpanView s : ss.spans) {
        Static v = eval(g.expr(), s, null, null);
        Spanset group = groups.computeIfAbsent(List.of(v.type(), v.value() == null ? "" : v.value()), k -> {
          Spanset n = new Spanset(new ArrayList<>(), new ArrayList<>(ss.attributes));
          n.addAttribute(key, v);
          return n;
        });
        group.spans.add(s);
      }
      out.addAll(groups.values());
    }
    return out;
  }

  private static List<Spanset> coalesce(List<Spanset> input) {
    List<SpanView> all = new ArrayList<>();
    for (Spanset ss : input) {
      all.addAll(ss.spans);
    }
    // Tempo would return one empty spanset here; an empty result is what it then shows.
    return all.isEmpty() ? List.of() : List.of(new Spanset(all, new ArrayList<>()));
  }
}

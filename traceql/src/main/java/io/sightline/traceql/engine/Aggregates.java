package io.sightline.traceql.engine;

import io.sightline.traceql.syntax.Aggregate;
import io.sightline.traceql.syntax.Printer;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.StaticType;
import java.util.ArrayList;
import java.util.List;

/**
 * Tempo's aggregates over a spanset: nil values are skipped, a spanset with none is dropped, sums only add values of
 * the first value's type, an int average is a float and a duration average stays a duration. The result is also
 * attached to the spanset under the aggregate's text ({@code avg(duration)}), which search results carry.
 */
final class Aggregates {
  private Aggregates() {}

  static List<Spanset> apply(Aggregate a, List<Spanset> input) {
    List<Spanset> out = new ArrayList<>();
    String key = Printer.print(a);
    for (Spanset ss : input) {
      Static result = switch (a.op()) {
        case COUNT -> Static.ofInt(ss.spans.size());
        case SUM, AVG -> {
          Static sum = null;
          int count = 0;
          for (SpanView s : ss.spans) {
            Static v = Evaluator.eval(a.expr(), s, null, null);
            if (v.isNil()) {
              continue;
            }
            sum = sum == null ? v : add(sum, v);
            count++;
          }
          yield sum == null ? null : a.op() == io.sightline.traceql.syntax.AggregateOp.SUM ? sum : divide(sum, count);
        }
        case MIN, MAX -> {
          Static best = null;
          for (SpanView s : ss.spans) {
            Static v = Evaluator.eval(a.expr(), s, null, null);
            if (v.isNil()) {
              continue;
            }
            int c = best == null ? 0 : Values.compare(v, best);
            if (best == null || (a.op() == io.sightline.traceql.syntax.AggregateOp.MAX ? c > 0 : c < 0)) {
              best = v;
            }
          }
          yield best;
        }
      };
      if (result == null) {
        continue;
      }
      Spanset copy = ss.withSpans(ss.spans);
      copy.scalar = result;
      copy.addAttribute(key, result);
      out.add(copy);
    }
    return out;
  }

  private static Static add(Static sum, Static v) {
    if (sum.type() != v.type()) {
      return sum;
    }
    return switch (sum.type()) {
      case INT -> Static.ofInt(sum.asLong() + v.asLong());
      case DURATION -> Static.ofDuration(sum.asLong() + v.asLong());
      case FLOAT -> Static.ofFloat(sum.asDouble() + v.asDouble());
      default -> sum;
    };
  }

  private static Static divide(Static sum, int count) {
    return switch (sum.type()) {
      case INT -> Static.ofFloat((double) sum.asLong() / count);
      case DURATION -> Static.ofDuration(sum.asLong() / count);
      case FLOAT -> Static.ofFloat(sum.asDouble() / count);
      default -> sum.type() == StaticType.NIL ? Static.NIL : sum;
    };
  }
}

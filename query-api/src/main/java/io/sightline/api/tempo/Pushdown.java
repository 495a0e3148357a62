package io.sightline.api.tempo;

import io.sightline.traceql.engine.Condition;
import io.sightline.traceql.syntax.Attribute;
import io.sightline.traceql.syntax.Intrinsic;
import io.sightline.traceql.syntax.Kind;
import io.sightline.traceql.syntax.Op;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.Status;
import io.sightline.tracestore.AttributeScope;
import io.sightline.tracestore.FetchRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A query's conditions as the store's: equalities on attributes, span names, status and kind, and bounds on the
 * trace duration. The rest only the engine checks; the engine re-checks these too, since the store only skips.
 */
final class Pushdown {
  private Pushdown() {}

  static FetchRequest request(long startNanos, long endNanos, List<Condition> conditions, int limit) {
    List<io.sightline.tracestore.Condition> out = new ArrayList<>();
    long minDuration = 0;
    long maxDuration = 0;
    for (Condition c : conditions) {
      Attribute a = c.attribute();
      Static v = c.operand();
      if (a.intrinsic() == Intrinsic.TRACE_DURATION && v.type() == io.sightline.traceql.syntax.StaticType.DURATION
          && v.asLong() > 0) {
        switch (c.op()) {
          case GT, GTE -> minDuration = Math.max(minDuration, v.asLong());
          case LT, LTE -> maxDuration = maxDuration == 0 ? v.asLong() : Math.min(maxDuration, v.asLong());
          default -> { }
        }
        continue;
      }
      if (c.op() != Op.EQ || a.parent() || out.size() == Long.SIZE) {
        continue;
      }
      io.sightline.tracestore.Condition converted = convert(a, v);
      if (converted != null) {
        out.add(converted);
      }
    }
    return new FetchRequest(startNanos, endNanos, out, minDuration, maxDuration, limit);
  }

  private static io.sightline.tracestore.Condition convert(Attribute a, Static v) {
    if (a.intrinsic() != null) {
      return switch (a.intrinsic()) {
        case NAME -> v.type() == io.sightline.traceql.syntax.StaticType.STRING
            ? io.sightline.tracestore.Condition.intrinsic(io.sightline.tracestore.Condition.Intrinsic.NAME,
                v.asString()) : null;
        case STATUS -> v.value() instanceof Status s
            ? io.sightline.tracestore.Condition.intrinsic(io.sightline.tracestore.Condition.Intrinsic.STATUS,
                s.keyword()) : null;
        case KIND -> v.value() instanceof Kind k
            ? io.sightline.tracestore.Condition.intrinsic(io.sightline.tracestore.Condition.Intrinsic.KIND,
                k.keyword()) : null;
        default -> null;
      };
    }
    AttributeScope scope = switch (a.scope()) {
      case NONE -> null;
      case SPAN -> AttributeScope.SPAN;
      case RESOURCE -> AttributeScope.RESOURCE;
      case EVENT -> AttributeScope.EVENT;
      case LINK -> AttributeScope.LINK;
      case INSTRUMENTATION -> AttributeScope.INSTRUMENTATION;
    };
    String text = switch (v.type()) {
      case STRING -> v.asString();
      case INT -> Long.toString(v.asLong());
      case FLOAT -> Double.toString(v.asDouble());
      case BOOLEAN -> Boolean.toString(v.asBool());
      default -> null;
    };
    return text == null ? null : io.sightline.tracestore.Condition.attribute(scope, a.name(), text);
  }
}

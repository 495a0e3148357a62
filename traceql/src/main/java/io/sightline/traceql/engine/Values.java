package io.sightline.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sightline.core.model.Re2;
import io.sightline.traceql.syntax.Kind;
import io.sightline.traceql.syntax.Op;
import io.sightline.traceql.syntax.Printer;
import io.sightline.traceql.syntax.Static;
import io.sightline.traceql.syntax.StaticType;
import io.sightline.traceql.syntax.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** Values read from OTLP, and Tempo's binary operations on them ({@code BinaryOperation.execute}). */
final class Values {
  private static final Map<String, Pattern> REGEXES = new ConcurrentHashMap<>();

  private Values() {}

  /** An OTLP value as Tempo stores it: homogeneous arrays keep their type; maps, bytes and mixed arrays are unreadable. */
  static Static of(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> Static.ofString(v.getStringValue());
      case INT_VALUE -> Static.ofInt(v.getIntValue());
      case DOUBLE_VALUE -> Static.ofFloat(v.getDoubleValue());
      case BOOL_VALUE -> Static.ofBool(v.getBoolValue());
      case ARRAY_VALUE -> array(v.getArrayValue());
      default -> Static.NIL;
    };
  }

  private static Static array(ArrayValue a) {
    if (a.getValuesCount() == 0) {
      return Static.NIL;
    }
    AnyValue.ValueCase first = a.getValues(0).getValueCase();
    List<Static> elements = new ArrayList<>();
    for (AnyValue e : a.getValuesList()) {
      if (e.getValueCase() != first) {
        return Static.NIL;
      }
      elements.add(of(e));
    }
    StaticType t = switch (first) {
      case STRING_VALUE -> StaticType.STRING_ARRAY;
      case INT_VALUE -> StaticType.INT_ARRAY;
      case DOUBLE_VALUE -> StaticType.FLOAT_ARRAY;
      case BOOL_VALUE -> StaticType.BOOLEAN_ARRAY;
      default -> null;
    };
    return t == null ? Static.NIL : Static.ofArray(t, elements);
  }

  static Static find(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return of(kv.getValue());
      }
    }
    return Static.NIL;
  }

  /** A value as it appears in search results, Tempo's {@code Static.AsAnyValue}. */
  static AnyValue toAnyValue(Static s) {
    return switch (s.type()) {
      case INT -> AnyValue.newBuilder().setIntValue(s.asLong()).build();
      case FLOAT -> AnyValue.newBuilder().setDoubleValue(s.asDouble()).build();
      case BOOLEAN -> AnyValue.newBuilder().setBoolValue(s.asBool()).build();
      case DURATION, STATUS, KIND, NIL -> AnyValue.newBuilder().setStringValue(Printer.print(s)).build();
      case STRING -> AnyValue.newBuilder().setStringValue(s.asString()).build();
      case INT_ARRAY, FLOAT_ARRAY, STRING_ARRAY, BOOLEAN_ARRAY -> {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        s.elements().forEach(e -> a.addValues(toAnyValue(e)));
        yield AnyValue.newBuilder().setArrayValue(a).build();
      }
      default -> AnyValue.newBuilder().setStringValue(Printer.print(s)).build();
    };
  }

  static Static status(int otlpCode) {
    return Static.ofStatus(Status.fromOtlp(otlpCode));
  }

  static Static kind(int otlpKind) {
    return Static.ofKind(Kind.fromOtlp(otlpKind));
  }

  /** Both operands evaluated: types that cannot meet give false, as in Tempo, rather than an error. */
  static Static binary(Op op, Static l, Static r) {
    StaticType lt = l.type();
    StaticType rt = r.type();
    if (!lt.matches(rt) || !op.binaryTypesValid(lt, rt)) {
      return Static.FALSE;
    }
    if (lt == StaticType.STRING && rt == StaticType.STRING) {
      int c = l.asString().compareTo(r.asString());
      switch (op) {
        case GT -> {
          return Static.ofBool(c > 0);
        }
        case GTE -> {
          return Static.ofBool(c >= 0);
        }
        case LT -> {
          return Static.ofBool(c < 0);
        }
        case LTE -> {
          return Static.ofBool(c <= 0);
        }
        case RE, NRE -> {
          boolean m = regex(r.asString()).matcher(l.asString()).matches();
          return Static.ofBool(op == Op.RE ? m : !m);
        }
        default -> { }
      }
    } else if (lt == StaticType.INT && rt == StaticType.INT) {
      long a = l.asLong();
      long b = r.asLong();
      switch (op) {
        case ADD -> {
          return Static.ofInt(a + b);
        }
        case SUB -> {
          return Static.ofInt(a - b);
        }
        case MUL -> {
          return Static.ofInt(a * b);
        }
        case DIV -> {
          if (b == 0) {
            throw new EvaluationException("division by zero");
          }
          return Static.ofInt(a / b);
        }
        case MOD -> {
          if (b == 0) {
            throw new EvaluationException("modulo by zero");
          }
          return Static.ofInt(a % b);
        }
        case GT -> {
          return Static.ofBool(a > b);
        }
        case GTE -> {
          return Static.ofBool(a >= b);
        }
        case LT -> {
          return Static.ofBool(a < b);
        }
        case LTE -> {
          return Static.ofBool(a <= b);
        }
        case POW -> {
          // Tempo's intPow passes its arguments swapped: 2 ^ 3 is 3 to the power of 2.
          return Static.ofInt((long) Math.pow(b, a));
        }
        default -> { }
      }
    } else if (lt == StaticType.BOOLEAN && rt == StaticType.BOOLEAN) {
      if (op == Op.AND) {
        return Static.ofBool(l.asBool() && r.asBool());
      }
      if (op == Op.OR) {
        return Static.ofBool(l.asBool() || r.asBool());
      }
    } else if (lt.matchesArrayElement(rt)) {
      return arrayOp(op, l, r);
    }
    return floatOp(op, l, r);
  }

  private static Static arrayOp(Op op, Static l, Static r) {
    if (!op.isBoolean()) {
      return Static.NIL;
    }
    if (l.type().isArray() && r.type().isArray()) {
      throw new EvaluationException("array operators must consist of a scalar and an array operand");
    }
    Op elementOp = op;
    Static array = r;
    Static scalar = l;
    boolean flip = false;
    if (l.type().isArray()) {
      elementOp = op.flipped();
      array = l;
      scalar = r;
      flip = elementOp == Op.RE || elementOp == Op.NRE;
    }
    // != and !~ mean "none of the elements": every element must pass.
    boolean all = elementOp == Op.NEQ || elementOp == Op.NRE;
    int count = 0;
    int matched = 0;
    for (Static e : array.elements()) {
      count++;
      Static res = flip ? binary(elementOp, e, scalar) : binary(elementOp, scalar, e);
      if (res.type() == StaticType.BOOLEAN && res.asBool()) {
        matched++;
        if (!all) {
          break;
        }
      }
    }
    return Static.ofBool(all ? matched == count : matched > 0);
  }

  private static Static floatOp(Op op, Static l, Static r) {
    double a = l.asDouble();
    double b = r.asDouble();
    return switch (op) {
      case ADD -> Static.ofFloat(a + b);
      case SUB -> Static.ofFloat(a - b);
      case DIV -> Static.ofFloat(a / b);
      case MOD -> Static.ofFloat(a % b);
      case MUL -> Static.ofFloat(a * b);
      case GT -> Static.ofBool(a > b);
      case GTE -> Static.ofBool(a >= b);
      case LT -> Static.ofBool(a < b);
      case LTE -> Static.ofBool(a <= b);
      case POW -> Static.ofFloat(Math.pow(a, b));
      case EQ -> Static.ofBool(equal(l, r));
      case NEQ -> Static.ofBool(!l.isNil() && !r.isNil() && !equal(l, r));
      default -> throw new EvaluationException("unexpected operator " + op.symbol());
    };
  }

  /** Tempo's {@code Static.Equals}: ints, durations and floats compare as numbers; nil equals nothing. */
  static boolean equal(Static l, Static r) {
    if (l.isNil() || r.isNil()) {
      return false;
    }
    return switch (l.type()) {
      case INT, DURATION -> switch (r.type()) {
        case INT, DURATION -> l.asLong() == r.asLong();
        case FLOAT -> l.asDouble() == r.asDouble();
        default -> false;
      };
      case FLOAT -> r.type().isNumeric() && l.asDouble() == r.asDouble();
      default -> l.type() == r.type() && l.value().equals(r.value());
    };
  }

  /** Tempo's {@code Static.compare}, for min and max. */
  static int compare(Static a, Static b) {
    if (a.type() != b.type()) {
      if (a.type().isNumeric() && b.type().isNumeric()) {
        return Double.compare(a.asDouble(), b.asDouble());
      }
      return Integer.compare(a.type().ordinal(), b.type().ordinal());
    }
    return switch (a.type()) {
      case STRING -> a.asString().compareTo(b.asString());
      case INT, DURATION -> Long.compare(a.asLong(), b.asLong());
      case FLOAT -> Double.compare(a.asDouble(), b.asDouble());
      case BOOLEAN -> Boolean.compare(a.asBool(), b.asBool());
      case STATUS, KIND -> Integer.compare(((Enum<?>) a.value()).ordinal(), ((Enum<?>) b.value()).ordinal());
      default -> 0;
    };
  }

  /** Fully anchored (matched whole), RE2 syntax; compiled once per pattern, the cache bounded against many queries. */
  static Pattern regex(String re) {
    Pattern p = REGEXES.get(re);
    if (p == null) {
      if (REGEXES.size() > 4096) {
        REGEXES.clear();
      }
      p = Re2.compile(re, 0);
      REGEXES.put(re, p);
    }
    return p;
  }
}

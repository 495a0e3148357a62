package io.sightline.traceql.syntax;

import java.util.List;

/**
 * A value: a literal of the query, or a value read from a span. {@code value} is a {@link Long} for ints and for
 * durations (nanoseconds), a {@link Double}, a {@link String}, a {@link Boolean}, a {@link Status}, a {@link Kind},
 * a {@code List<Static>} for arrays, and null for nil.
 */
public record Static(StaticType type, Object value) implements FieldExpr, ScalarExpr {
  public static final Static NIL = new Static(StaticType.NIL, null);
  public static final Static TRUE = new Static(StaticType.BOOLEAN, true);
  public static final Static FALSE = new Static(StaticType.BOOLEAN, false);

  public static Static ofInt(long n) {
    return new Static(StaticType.INT, n);
  }

  public static Static ofFloat(double f) {
    return new Static(StaticType.FLOAT, f);
  }

  public static Static ofString(String s) {
    return new Static(StaticType.STRING, s);
  }

  public static Static ofBool(boolean b) {
    return b ? TRUE : FALSE;
  }

  public static Static ofDuration(long nanos) {
    return new Static(StaticType.DURATION, nanos);
  }

  public static Static ofStatus(Status s) {
    return new Static(StaticType.STATUS, s);
  }

  public static Static ofKind(Kind k) {
    return new Static(StaticType.KIND, k);
  }

  public static Static ofArray(StaticType arrayType, List<Static> elements) {
    return new Static(arrayType, List.copyOf(elements));
  }

  public boolean isNil() {
    return type == StaticType.NIL;
  }

  public long asLong() {
    return (Long) value;
  }

  public String asString() {
    return (String) value;
  }

  public boolean asBool() {
    return (Boolean) value;
  }

  /** Numbers as doubles (durations in nanoseconds); NaN for anything else, as Tempo's {@code Static.Float}. */
  public double asDouble() {
    return switch (type) {
      case FLOAT -> (Double) value;
      case INT, DURATION -> (Long) value;
      default -> Double.NaN;
    };
  }

  @SuppressWarnings("unchecked")
  public List<Static> elements() {
    return type.isArray() ? (List<Static>) value : List.of(this);
  }
}

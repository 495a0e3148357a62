package io.sightline.traceql.syntax;

/** The type of a value; {@link #ATTRIBUTE} is the type of an attribute, known only when a span is read. */
public enum StaticType {
  NIL, SPANSET, ATTRIBUTE, INT, FLOAT, STRING, BOOLEAN, INT_ARRAY, FLOAT_ARRAY, STRING_ARRAY, BOOLEAN_ARRAY,
  DURATION, STATUS, KIND;

  public boolean isNumeric() {
    return this == INT || this == FLOAT || this == DURATION;
  }

  public boolean isArray() {
    return this == INT_ARRAY || this == FLOAT_ARRAY || this == STRING_ARRAY || this == BOOLEAN_ARRAY;
  }

  /** The element type of an array type, or this type. */
  public StaticType element() {
    return switch (this) {
      case INT_ARRAY -> INT;
      case FLOAT_ARRAY -> FLOAT;
      case STRING_ARRAY -> STRING;
      case BOOLEAN_ARRAY -> BOOLEAN;
      default -> this;
    };
  }

  /** Whether two types may meet in a binary operation at all (Tempo's {@code isMatchingOperand}). */
  public boolean matches(StaticType other) {
    if (this == ATTRIBUTE || other == ATTRIBUTE || this == other || isNumeric() && other.isNumeric()
        || this == NIL || other == NIL) {
      return true;
    }
    return matchesArrayElement(other);
  }

  /** One side an array, the other its element type (or another array of it). */
  public boolean matchesArrayElement(StaticType other) {
    if (isArray()) {
      return element().matches(other);
    }
    if (other.isArray()) {
      return other.element().matches(this);
    }
    return false;
  }
}

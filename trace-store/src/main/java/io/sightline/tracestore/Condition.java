package io.sightline.tracestore;

import java.util.Locale;

/**
 * One equality the store may use to skip blocks and traces. Either an attribute ({@code scope}, {@code key},
 * {@code equalsValue}; scope null means span or resource) or an intrinsic ({@code intrinsic}, {@code equalsValue};
 * scope and key null).
 *
 * <p>An attribute matches when its value, read as the condition's string, is equal: a string value compares as is; an
 * int, double or bool value matches the string that parses to the same number or boolean ({@code "200"} matches the
 * int 200 and the double 200.0). Bytes, arrays and key-value lists are never used to skip: such a value always "may
 * match".
 *
 * @param intrinsic {@link Intrinsic#NAME}: span name; {@link Intrinsic#SERVICE_NAME}: the resource's
 *     {@code service.name}; {@link Intrinsic#STATUS}: {@code unset}, {@code ok}, {@code error} or the OTLP code
 *     number; {@link Intrinsic#KIND}: {@code unspecified}, {@code internal}, {@code server}, {@code client},
 *     {@code producer}, {@code consumer} or the OTLP kind number
 */
public record Condition(AttributeScope scope, String key, String equalsValue, Intrinsic intrinsic) {

  /** Fields of a span that are not attributes, as TraceQL names them. */
  public enum Intrinsic { NAME, SERVICE_NAME, STATUS, KIND }

  private static final String[] STATUS_NAMES = {"unset", "ok", "error"};
  private static final String[] KIND_NAMES = {"unspecified", "internal", "server", "client", "producer", "consumer"};

  /** An attribute condition. */
  public Condition(AttributeScope scope, String key, String equalsValue) {
    this(scope, key, equalsValue, null);
  }

  public Condition {
    if (equalsValue == null) {
      throw new IllegalArgumentException("a condition needs a value");
    }
    if (intrinsic == null && key == null) {
      throw new IllegalArgumentException("an attribute condition needs a key");
    }
    if (intrinsic != null && (scope != null || key != null)) {
      throw new IllegalArgumentException("an intrinsic condition has no scope or key");
    }
    if (intrinsic == Intrinsic.STATUS) {
      code(equalsValue, STATUS_NAMES);
    } else if (intrinsic == Intrinsic.KIND) {
      code(equalsValue, KIND_NAMES);
    }
  }

  public static Condition attribute(AttributeScope scope, String key, String equalsValue) {
    return new Condition(scope, key, equalsValue, null);
  }

  public static Condition intrinsic(Intrinsic intrinsic, String equalsValue) {
    return new Condition(null, null, equalsValue, intrinsic);
  }

  /** For STATUS and KIND conditions: the OTLP number the value names. */
  public int code() {
    return switch (intrinsic) {
      case STATUS -> code(equalsValue, STATUS_NAMES);
      case KIND -> code(equalsValue, KIND_NAMES);
      case null, default -> throw new IllegalStateException("only status and kind conditions have a code");
    };
  }

  private static int code(String value, String[] names) {
    String v = value.toLowerCase(Locale.ROOT);
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(v)) {
        return i;
      }
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unknown value " + value + "; expected one of "
          + String.join(", ", names) + " or a number", e);
    }
  }
}

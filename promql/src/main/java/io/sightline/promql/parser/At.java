package io.sightline.promql.parser;

/**
 * The {@code @} modifier: evaluate a selector or subquery at a fixed time instead of the step's, either a timestamp or
 * the query's {@code start()} or {@code end()}.
 */
public record At(Kind kind, long timestampMs) {
  public enum Kind { TIMESTAMP, START, END }

  public static At start() {
    return new At(Kind.START, 0);
  }

  public static At end() {
    return new At(Kind.END, 0);
  }

  public static At timestamp(long ms) {
    return new At(Kind.TIMESTAMP, ms);
  }
}

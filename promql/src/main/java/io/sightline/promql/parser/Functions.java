package io.sightline.promql.parser;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The functions PromQL knows, as data: name, argument types and result type (Prometheus'
 * {@code promql/parser/functions.go}). What each computes lives in the engine.
 */
public final class Functions {

  /**
   * A function's signature. {@code variadic} 0 means exactly {@code argTypes}; n &gt; 0 that the last argument is
   * optional and may repeat up to n times; −1 that it may repeat without limit.
   */
  public record Signature(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {}

  private static final Map<String, Signature> BY_NAME = Stream.of(
      sig("abs", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("absent", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("absent_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("acos", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("acosh", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("asin", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("asinh", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("atan", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("atanh", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("avg_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("ceil", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("changes", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("clamp", 0, ValueType.VECTOR, ValueType.VECTOR, ValueType.SCALAR, ValueType.SCALAR),
      sig("clamp_max", 0, ValueType.VECTOR, ValueType.VECTOR, ValueType.SCALAR),
      sig("clamp_min", 0, ValueType.VECTOR, ValueType.VECTOR, ValueType.SCALAR),
      sig("cos", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("cosh", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("count_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("days_in_month", 1, ValueType.VECTOR, ValueType.VECTOR),
      sig("day_of_month", 1, ValueType.VECTOR, ValueType.VECTOR),
      sig("day_of_week", 1, ValueType.VECTOR, ValueType.VECTOR),
      sig("day_of_year", 1, ValueType.VECTOR, ValueType.VECTOR),
      sig("deg", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("delta", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("deriv", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("exp", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("first_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("floor", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("histogram_avg", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("histogram_count", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("histogram_sum", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("histogram_stddev", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("histogram_stdvar", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("histogram_fraction", 0, ValueType.VECTOR, ValueType.SCALAR, ValueType.SCALAR, ValueType.VECTOR),
      sig("histogram_quantile", 0, ValueType.VECTOR, ValueType.SCALAR, ValueType.VECTOR),
      sig("histogram_quantiles", 9, ValueType.VECTOR, ValueType.VECTOR, ValueType.STRING, ValueType.SCALAR,
          ValueType.SCALAR),
      sig("double_exponential_smoothing", 0, ValueType.VECTOR, ValueType.MATRIX, ValueType.SCALAR, ValueType.SCALAR),
      sig("hour", 1, ValueType.VECTOR, ValueType.VECTOR),
      sig("idelta", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("increase", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("info", 1, ValueType.VECTOR, ValueType.VECTOR, ValueType.VECTOR),
      sig("irate", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("label_replace", 0, ValueType.VECTOR, ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING, ValueType.STRING),
      sig("label_join", -1, ValueType.VECTOR, ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING),
      sig("last_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("ln", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("log10", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("log2", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("mad_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("max_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("min_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("ts_of_first_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("ts_of_max_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("ts_of_min_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("ts_of_last_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("minute", 1, ValueType.VECTOR, ValueType.VECTOR),
      sig("month", 1, ValueType.VECTOR, ValueType.VECTOR),
      sig("pi", 0, ValueType.SCALAR),
      sig("start", 0, ValueType.SCALAR),
      sig("end", 0, ValueType.SCALAR),
      sig("range", 0, ValueType.SCALAR),
      sig("step", 0, ValueType.SCALAR),
      sig("max_of", 0, ValueType.SCALAR, ValueType.SCALAR, ValueType.SCALAR),
      sig("min_of", 0, ValueType.SCALAR, ValueType.SCALAR, ValueType.SCALAR),
      sig("predict_linear", 0, ValueType.VECTOR, ValueType.MATRIX, ValueType.SCALAR),
      sig("present_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("quantile_over_time", 0, ValueType.VECTOR, ValueType.SCALAR, ValueType.MATRIX),
      sig("rad", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("rate", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("resets", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("round", 1, ValueType.VECTOR, ValueType.VECTOR, ValueType.SCALAR),
      sig("scalar", 0, ValueType.SCALAR, ValueType.VECTOR),
      sig("sgn", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("sin", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("sinh", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("sort", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("sort_desc", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("sort_by_label", -1, ValueType.VECTOR, ValueType.VECTOR, ValueType.STRING),
      sig("sort_by_label_desc", -1, ValueType.VECTOR, ValueType.VECTOR, ValueType.STRING),
      sig("sqrt", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("stddev_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("stdvar_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("sum_over_time", 0, ValueType.VECTOR, ValueType.MATRIX),
      sig("tan", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("tanh", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("time", 0, ValueType.SCALAR),
      sig("timestamp", 0, ValueType.VECTOR, ValueType.VECTOR),
      sig("vector", 0, ValueType.VECTOR, ValueType.SCALAR),
      sig("year", 1, ValueType.VECTOR, ValueType.VECTOR))
      .collect(Collectors.toUnmodifiableMap(Signature::name, Function.identity()));

  private Functions() {}

  /** The function called {@code name}, or null. */
  public static Signature get(String name) {
    return BY_NAME.get(name);
  }

  private static Signature sig(String name, int variadic, ValueType returnType, ValueType... args) {
    return new Signature(name, List.of(args), variadic, returnType);
  }
}

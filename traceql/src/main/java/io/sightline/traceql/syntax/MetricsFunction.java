package io.sightline.traceql.syntax;

/** The metrics functions, as data: keyword, whether an attribute argument is required, whether quantiles follow. */
public enum MetricsFunction {
  RATE("rate", false, false),
  COUNT_OVER_TIME("count_over_time", false, false),
  SUM_OVER_TIME("sum_over_time", true, false),
  MIN_OVER_TIME("min_over_time", true, false),
  MAX_OVER_TIME("max_over_time", true, false),
  AVG_OVER_TIME("avg_over_time", true, false),
  QUANTILE_OVER_TIME("quantile_over_time", true, true),
  HISTOGRAM_OVER_TIME("histogram_over_time", true, false);

  private final String keyword;
  private final boolean takesAttribute;
  private final boolean takesQuantiles;

  MetricsFunction(String keyword, boolean takesAttribute, boolean takesQuantiles) {
    this.keyword = keyword;
    this.takesAttribute = takesAttribute;
    this.takesQuantiles = takesQuantiles;
  }

  public String keyword() {
    return keyword;
  }

  public boolean takesAttribute() {
    return takesAttribute;
  }

  public boolean takesQuantiles() {
    return takesQuantiles;
  }

  static MetricsFunction fromKeyword(String word) {
    for (MetricsFunction f : values()) {
      if (f.keyword.equals(word)) {
        return f;
      }
    }
    return null;
  }
}

package io.sightline.promql.parser;

/** The aggregation operators; those with a parameter take it as the first argument, of the type given. */
public enum AggregateOp {
  SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR,
  TOPK(ValueType.SCALAR), BOTTOMK(ValueType.SCALAR), QUANTILE(ValueType.SCALAR), COUNT_VALUES(ValueType.STRING),
  LIMITK(ValueType.SCALAR), LIMIT_RATIO(ValueType.SCALAR);

  private final ValueType parameter;

  AggregateOp() {
    this(null);
  }

  AggregateOp(ValueType parameter) {
    this.parameter = parameter;
  }

  /** The parameter's type, or null for the operators without one. */
  public ValueType parameter() {
    return parameter;
  }

  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static AggregateOp byKeyword(String word) {
    for (AggregateOp op : values()) {
      if (op.keyword().equalsIgnoreCase(word)) {
        return op;
      }
    }
    return null;
  }
}

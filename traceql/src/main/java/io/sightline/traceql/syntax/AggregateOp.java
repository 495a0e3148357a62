package io.sightline.traceql.syntax;

public enum AggregateOp {
  COUNT("count"), AVG("avg"), MAX("max"), MIN("min"), SUM("sum");

  private final String keyword;

  AggregateOp(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }

  static AggregateOp fromKeyword(String word) {
    for (AggregateOp op : values()) {
      if (op.keyword.equals(word)) {
        return op;
      }
    }
    return null;
  }
}

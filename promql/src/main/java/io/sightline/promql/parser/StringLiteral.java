package io.sightline.promql.parser;

/** {@code "text"}: an argument of {@code label_replace}, {@code count_values} and the like, or a query of its own. */
public record StringLiteral(String value) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }
}

package io.sightline.promql.parser;

/**
 * {@code "text"}: an argument of {@code label_replace}, {@code count_values} and the like, or a query of its own;
 * {@code text} is the literal as written, quotes included, for messages about a value that is not valid UTF-8.
 */
public record StringLiteral(String value, String text) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }
}

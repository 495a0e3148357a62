package io.sightline.promql.parser;

/** The type of an expression, as Prometheus names them in its messages. */
public enum ValueType {
  SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  /** As Prometheus writes it in type errors: "instant vector", "range vector". */
  public String description() {
    return description;
  }
}

package io.sightline.promql.parser;

import java.util.List;

/** {@code rate(foo[5m])}: a function from {@link Functions} and its arguments, checked against its signature. */
public record Call(Functions.Signature function, List<Expr> args) implements Expr {

  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return function.returnType();
  }
}

package io.sightline.logql.syntax;

/** Carries a {@link ParseException} out of a grammar action, as Loki's actions panic with one. */
final class Failure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final transient ParseException error;

  Failure(ParseException error) {
    super(error.getMessage(), null, false, false);
    this.error = error;
  }

  static Failure of(String problem) {
    return new Failure(new ParseException(problem, 0, 0));
  }
}

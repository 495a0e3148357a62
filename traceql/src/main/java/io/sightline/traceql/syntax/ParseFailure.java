package io.sightline.traceql.syntax;

/** Carries a {@link ParseException} out of the recursive descent; unwrapped at {@link Parser#parse}. */
final class ParseFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final ParseException exception;

  ParseFailure(ParseException exception) {
    super(exception.getMessage(), null, false, false);
    this.exception = exception;
  }
}

package io.sightline.traceql.syntax;

/** A query Tempo would answer with 400: it does not parse, or it parses and fails validation. */
public abstract sealed class TraceQLException extends Exception permits ParseException, ValidationException {
  private static final long serialVersionUID = 1L;

  TraceQLException(String message) {
    super(message);
  }
}

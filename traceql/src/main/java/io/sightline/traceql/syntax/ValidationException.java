package io.sightline.traceql.syntax;

/** A query that parses but that Tempo refuses: types that do not meet, bad regexes, unsupported features. */
public final class ValidationException extends TraceQLException {
  private static final long serialVersionUID = 1L;

  private final boolean unsupported;

  ValidationException(String message, boolean unsupported) {
    super(message);
    this.unsupported = unsupported;
  }

  /** Whether Tempo words this as a feature "not yet supported" rather than as an invalid query. */
  public boolean unsupported() {
    return unsupported;
  }
}

package io.sightline.promql.engine;

/**
 * A query that cannot be answered, with the kind Prometheus' API reports ({@code errorType}) and its message.
 * Parse errors are {@link Kind#BAD_DATA}; errors while evaluating {@link Kind#EXECUTION}.
 */
public final class QueryException extends Exception {
  private static final long serialVersionUID = 1L;

  public enum Kind { BAD_DATA, EXECUTION, TIMEOUT, CANCELED }

  private final Kind kind;

  public QueryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

package io.sightline.logql.engine;

/**
 * A query Loki would answer with an error: the message is Loki's, word for word, and {@link #status()} the HTTP
 * status Loki's {@code server.WriteError} gives it (400 for limits, pipeline errors and queries an endpoint does not
 * take, 499 when the client went away, 504 on timeout). Parse errors stay {@link
 * io.sightline.logql.syntax.ParseException}s (also 400).
 */
public final class QueryException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Loki's {@code server.ErrDeadlineExceeded}, the body of its 504. */
  public static final String DEADLINE_EXCEEDED = "request timed out, decrease the duration of the request or add "
      + "more label matchers (prefer exact match over regex match) to reduce the amount of data processed";
  /** Loki's {@code server.ErrClientCanceled}, the body of its 499. */
  public static final String CLIENT_CANCELED = "the request was cancelled by the client";

  private final int status;

  public QueryException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  static QueryException badRequest(String message) {
    return new QueryException(400, message);
  }

  /** Loki's {@code PipelineError}: a metric query's series carries {@code __error__}. */
  static QueryException pipelineError(io.sightline.core.model.Labels metric) {
    String type = metric.get("__error__");
    return badRequest("pipeline error: '" + type + "' for series: '" + LabelStrings.of(metric) + "'.\n"
        + "Use a label filter to intentionally skip this error. (e.g | __error__!=\"" + type + "\").\n"
        + "To skip all potential errors you can match empty errors.(e.g __error__=\"\")\n"
        + "The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )\n");
  }

  static QueryException timeout() {
    return new QueryException(504, DEADLINE_EXCEEDED);
  }

  static QueryException canceled() {
    return new QueryException(499, CLIENT_CANCELED);
  }
}

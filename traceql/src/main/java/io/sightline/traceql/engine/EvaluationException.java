package io.sightline.traceql.engine;

/** A query that fails while it runs, as Tempo's does: division by zero, structural operators over grouped spansets. */
public final class EvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EvaluationException(String message) {
    super(message);
  }
}

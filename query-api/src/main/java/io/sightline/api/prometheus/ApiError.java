package io.sightline.api.prometheus;

import com.linecorp.armeria.common.HttpStatus;

/** An error in Prometheus' terms: its {@code errorType} and the status {@code respondError} maps it to. */
final class ApiError extends Exception {
  private static final long serialVersionUID = 1L;

  enum Type {
    BAD_DATA("bad_data", HttpStatus.BAD_REQUEST),
    EXECUTION("execution", HttpStatus.UNPROCESSABLE_ENTITY),
    TIMEOUT("timeout", HttpStatus.SERVICE_UNAVAILABLE),
    /** The client went away; 499 is the status Prometheus (after nginx) gives it. */
    CANCELED("canceled", HttpStatus.valueOf(499)),
    INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR),
    NOT_FOUND("not_found", HttpStatus.NOT_FOUND),
    UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE);

    final String wire;
    final HttpStatus status;

    Type(String wire, HttpStatus status) {
      this.wire = wire;
      this.status = status;
    }
  }

  final Type type;

  ApiError(Type type, String message) {
    super(message);
    this.type = type;
  }
}

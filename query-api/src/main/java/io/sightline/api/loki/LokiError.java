package io.sightline.api.loki;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;

/**
 * An error answered as Loki's {@code serverutil.WriteError} answers it: the status and the message as a plain-text
 * body (not JSON), with {@code X-Content-Type-Options: nosniff}.
 */
final class LokiError extends Exception {
  private static final long serialVersionUID = 1L;
  /** Loki's answer to a query that ran out of time ({@code ErrDeadlineExceeded}), with 504. */
  static final String DEADLINE_EXCEEDED = "request timed out, decrease the duration of the request or add more label "
      + "matchers (prefer exact match over regex match) to reduce the amount of data processed";
  /** Loki's answer to a client that went away ({@code ErrClientCanceled}), with 499. */
  static final String CLIENT_CANCELED = "the request was cancelled by the client";

  final HttpStatus status;

  LokiError(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  static LokiError badRequest(String message) {
    return new LokiError(HttpStatus.BAD_REQUEST, message);
  }

  HttpResponse response() {
    return response(status, getMessage());
  }

  static HttpResponse response(HttpStatus status, String message) {
    return HttpResponse.of(ResponseHeaders.builder(status).contentType(MediaType.PLAIN_TEXT_UTF_8)
        .add(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff").build(), com.linecorp.armeria.common.HttpData
        .ofUtf8(message));
  }
}

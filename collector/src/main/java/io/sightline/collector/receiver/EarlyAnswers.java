package io.sightline.collector.receiver;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;

/** Answers decided from the headers alone (405, 415, a bad encoding), sent once the request body is in. */
public final class EarlyAnswers {
  private EarlyAnswers() {}

  /**
   * An HTTP/2 stream answered while the client is still sending its body is reset, and clients such as the JDK's then
   * report the reset instead of the answer. Reading the body first costs little: it is bounded by the server's
   * maximum request length.
   */
  public static HttpResponse afterBody(HttpRequest req, HttpResponse response) {
    return HttpResponse.of(req.aggregate().handle((body, failure) -> response));
  }
}

package io.sightline.collector.receiver.loki;

import static io.sightline.collector.receiver.EarlyAnswers.afterBody;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * {@code POST /loki/api/v1/push} (and Loki's older {@code /api/prom/push} path for the same bodies): answers as Loki's
 * distributor does, 204 with no body once the store has committed, otherwise the status and the message in plain
 * text (Go's {@code http.Error}). Decoding and the commit run off the event loop.
 */
public final class LokiPushService implements HttpService {
  private final LokiDistributor distributor;

  public LokiPushService(LokiDistributor distributor) {
    this.distributor = distributor;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return afterBody(req, HttpResponse.builder().status(HttpStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, "POST").content(MediaType.PLAIN_TEXT_UTF_8, "405 method not allowed\n")
          .build());
    }
    String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    return HttpResponse.of(req.aggregate()
        .thenApplyAsync(body -> answer(distributor.push(contentType, contentEncoding, body.content().array())),
            ctx.blockingTaskExecutor())
        .exceptionally(failure -> {
          if (Exceptions.peel(failure) instanceof ContentTooLargeException) {
            return answer(new PushResult(413, tooLarge(req, ctx.maxRequestLength())));
          }
          return Exceptions.throwUnsafely(failure);
        }));
  }

  /** Loki's words for a body past the receive limit, with the declared size when the client gave one. */
  static String tooLarge(HttpRequest req, long max) {
    long size = req.headers().contentLength();
    return "request body too large: message size too large than max (" + (size > max ? size : max + 1) + " vs " + max
        + ")";
  }

  static HttpResponse answer(PushResult result) {
    if (result.isSuccess()) {
      // Headers alone: HttpResponse.of(status) would add a "204 No Content" body.
      return HttpResponse.of(ResponseHeaders.of(HttpStatus.NO_CONTENT));
    }
    return HttpResponse.of(HttpStatus.valueOf(result.status()), MediaType.PLAIN_TEXT_UTF_8, result.message() + "\n");
  }
}

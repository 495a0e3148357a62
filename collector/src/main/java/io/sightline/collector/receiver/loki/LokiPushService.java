package io.sightline.collector.receiver.loki;

import static io.sightline.collector.receiver.EarlyAnswers.afterBody;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.function.Function;

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
    String contentType = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    return servePost(ctx, req, body -> distributor.push(contentType, contentEncoding, body.content().array()),
        LokiPushService::answer);
  }

  /**
   * What both Loki endpoints share: POST only, the body read whole, {@code push} and the answer off the event loop
   * (decoding is quick, but the commit writes the WAL), a body past the limit answered with Loki's 413.
   */
  static HttpResponse servePost(ServiceRequestContext ctx, HttpRequest req,
      Function<AggregatedHttpRequest, PushResult> push, Function<PushResult, HttpResponse> answer) {
    if (req.method() != HttpMethod.POST) {
      return afterBody(req, HttpResponse.builder().status(HttpStatus.METHOD_NOT_ALLOWED)
          .header(HttpHeaderNames.ALLOW, "POST").content(MediaType.PLAIN_TEXT_UTF_8, "405 method not allowed\n")
          .build());
    }
    return HttpResponse.of(req.aggregate()
        .thenApplyAsync(body -> answer.apply(push.apply(body)), ctx.blockingTaskExecutor())
        .exceptionally(failure -> {
          if (isTooLarge(failure)) {
            return answer.apply(new PushResult(413, tooLarge(req.headers().contentLength(), ctx.maxRequestLength())));
          }
          return Exceptions.throwUnsafely(failure);
        }));
  }

  /**
   * Whether a request failed for its size: while it was read ({@code ContentTooLargeException}), or before, when its
   * declared length was already past the limit (the server aborts it with a 413 that wraps that exception).
   */
  static boolean isTooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ContentTooLargeException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Loki's 413 for a body past the server's limit. The server refuses such a body itself, before or while it reaches
   * this service, with a page of its own: the server's {@code ServerErrorHandler} puts this in its place for the
   * route ({@code renderStatus} with status 413).
   */
  public static AggregatedHttpResponse tooLargeAnswer(RequestHeaders headers, long maxRequestLength) {
    return AggregatedHttpResponse.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, MediaType.PLAIN_TEXT_UTF_8,
        tooLarge(headers.contentLength(), maxRequestLength) + "\n");
  }

  /** @param declared the {@code Content-Length}, or -1 */
  static String tooLarge(long declared, long max) {
    return "request body too large: message size too large than max (" + (declared > max ? declared : max + 1)
        + " vs " + max + ")";
  }

  static HttpResponse answer(PushResult result) {
    if (result.isSuccess()) {
      // Headers alone: HttpResponse.of(status) would add a "204 No Content" body.
      return HttpResponse.of(ResponseHeaders.of(HttpStatus.NO_CONTENT));
    }
    return HttpResponse.of(HttpStatus.valueOf(result.status()), MediaType.PLAIN_TEXT_UTF_8, result.message() + "\n");
  }
}

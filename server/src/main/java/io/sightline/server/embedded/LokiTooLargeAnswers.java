package io.sightline.server.embedded;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.sightline.collector.receiver.loki.LokiPushService;
import io.sightline.collector.receiver.loki.OtlpLogsService;

/**
 * Armeria refuses a body past the port's limit before any service sees it, with a page of its own; on Loki's write
 * paths this puts Loki's answer in its place (plain text for a push, an OTLP {@code Status} for OTLP logs). Other
 * paths keep the server's answer.
 */
final class LokiTooLargeAnswers implements ServerErrorHandler {
  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    return null;
  }

  @Override
  public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
      HttpStatus status, String description, Throwable cause) {
    if (status != HttpStatus.REQUEST_ENTITY_TOO_LARGE || config == null) {
      return null;
    }
    String path = headers.path();
    int query = path.indexOf('?');
    path = query < 0 ? path : path.substring(0, query);
    long max = config.maxRequestLength();
    return switch (path) {
      case "/loki/api/v1/push", "/api/prom/push" -> LokiPushService.tooLargeAnswer(headers, max);
      case "/otlp/v1/logs" -> OtlpLogsService.tooLargeAnswer(headers, max);
      default -> null;
    };
  }
}

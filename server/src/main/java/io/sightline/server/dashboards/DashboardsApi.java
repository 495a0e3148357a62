package io.sightline.server.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Map;

/**
 * The UI's dashboard endpoints: {@code GET /ui/api/dashboards} (the list: uid, title, tags, source),
 * {@code GET /ui/api/dashboards/<uid>} (the dashboard JSON) and {@code POST /ui/api/dashboards} (import; 400 with
 * the reason for a dashboard that cannot be stored, 413 over {@link #MAX_IMPORT_BYTES}). Errors are
 * {@code {"message": ...}}, which the UI's API client shows as they are.
 */
public final class DashboardsApi {
  /** Grafana's largest dashboards are a few hundred KiB; this leaves room and bounds what one paste can store. */
  public static final long MAX_IMPORT_BYTES = 2L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DashboardStore store;

  public DashboardsApi(DashboardStore store) {
    this.store = store;
  }

  public void addRoutes(ServerBuilder sb) {
    sb.service("/ui/api/dashboards", this::collection);
    sb.service("/ui/api/dashboards/{uid}", this::one);
  }

  private HttpResponse collection(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
      return blocking(ctx, () -> json(HttpStatus.OK, Map.of("dashboards", store.list())));
    }
    if (req.method() != HttpMethod.POST) {
      return json(HttpStatus.METHOD_NOT_ALLOWED, Map.of("message", "use GET to list or POST to import"));
    }
    long declared = req.headers().contentLength();
    if (declared > MAX_IMPORT_BYTES) {
      return tooLarge();
    }
    ctx.setMaxRequestLength(MAX_IMPORT_BYTES);
    return HttpResponse.of(req.aggregate().handleAsync((AggregatedHttpRequest body, Throwable failure) -> {
      if (failure != null) {
        return tooLarge();
      }
      try {
        ObjectNode d = store.importDashboard(body.contentUtf8());
        return json(HttpStatus.OK, Map.of("uid", d.get("uid").asText(), "title", d.get("title").asText()));
      } catch (DashboardStore.InvalidDashboardException e) {
        return json(HttpStatus.BAD_REQUEST, Map.of("message", e.getMessage()));
      }
    }, ctx.blockingTaskExecutor()));
  }

  private HttpResponse one(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      return json(HttpStatus.METHOD_NOT_ALLOWED, Map.of("message", "use GET"));
    }
    String uid = ctx.pathParam("uid");
    return blocking(ctx, () -> store.get(uid).map(d -> json(HttpStatus.OK, d))
        .orElseGet(() -> json(HttpStatus.NOT_FOUND, Map.of("message", "no dashboard with uid \"" + uid + "\""))));
  }

  /** The store reads files: off the event loop. */
  private static HttpResponse blocking(ServiceRequestContext ctx, java.util.function.Supplier<HttpResponse> answer) {
    return HttpResponse.of(java.util.concurrent.CompletableFuture.supplyAsync(answer, ctx.blockingTaskExecutor()));
  }

  private static HttpResponse tooLarge() {
    return json(HttpStatus.REQUEST_ENTITY_TOO_LARGE, Map.of("message",
        "the dashboard is larger than " + MAX_IMPORT_BYTES / 1024 / 1024 + " MiB"));
  }

  private static HttpResponse json(HttpStatus status, Object body) {
    try {
      return HttpResponse.of(status, MediaType.JSON_UTF_8, JSON.writeValueAsString(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

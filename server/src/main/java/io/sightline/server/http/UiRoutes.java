package io.sightline.server.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;
import com.linecorp.armeria.server.encoding.EncodingService;
import com.linecorp.armeria.server.file.MediaTypeResolver;
import java.time.Duration;

/**
 * Serves the web UI (module {@code ui}) from the class path: the modules under {@code /ui/static/}, the WebJars
 * they import under {@code /webjars/}, and {@code index.html} for every other path under {@code /ui/}, because the UI
 * routes in the browser and a shared link such as {@code /ui/trace/<id>} must load the page. {@code /} sends the
 * browser to the UI, as Prometheus' and Grafana's roots do. Scripts go out gzip-compressed to browsers that take it
 * (uPlot's module is 140 KB as shipped, 40 KB compressed).
 */
public final class UiRoutes {
  /** The WebJars' names carry their version, so their content never changes under a URL. */
  private static final Duration WEBJAR_MAX_AGE = Duration.ofDays(365);

  private UiRoutes() {}

  public static void addTo(ServerBuilder sb) {
    ClassLoader loader = UiRoutes.class.getClassLoader();
    // Module scripts must come with a JavaScript type; cytoscape ships its ES module as .mjs, which the default
    // resolver does not know.
    MediaTypeResolver mediaTypes = MediaTypeResolver.ofDefault().orElse((path, encoding) ->
        path.endsWith(".mjs") ? MediaType.JAVASCRIPT_UTF_8 : null);
    sb.serviceUnder("/webjars/", FileService.builder(loader, "META-INF/resources/webjars")
        .mediaTypeResolver(mediaTypes)
        .maxCacheEntries(256)
        .cacheControl("public, max-age=" + WEBJAR_MAX_AGE.toSeconds())
        .build()
        .decorate(EncodingService.newDecorator()));
    // The UI's own files change with every release under the same names: the browser revalidates them (ETag).
    sb.serviceUnder("/ui/static/", FileService.builder(loader, "sightline-ui/static")
        .mediaTypeResolver(mediaTypes)
        .cacheControl("no-cache")
        .build()
        .decorate(EncodingService.newDecorator()));
    HttpFile index = HttpFile.builder(loader, "sightline-ui/index.html")
        .contentType(MediaType.HTML_UTF_8)
        .cacheControl("no-cache")
        .build();
    // The UI's own API (dashboards) is routed by exact paths; anything else under it is a missing endpoint, not a
    // page, so it answers 404 rather than index.html.
    sb.serviceUnder("/ui/api/", (ctx, req) -> HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON_UTF_8,
        "{\"message\":\"no UI endpoint at " + ctx.path().replace("\"", "") + "\"}"));
    sb.serviceUnder("/ui/", index.asService());
    sb.service("/ui", (ctx, req) -> redirect("/ui/"));
    sb.service("/", (ctx, req) -> redirect("/ui/"));
  }

  private static HttpResponse redirect(String location) {
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.FOUND, HttpHeaderNames.LOCATION, location));
  }
}

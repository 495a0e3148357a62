package io.sightline.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the three services share, as an HTTP instrumentation library would give it: routes on the JDK's HTTP server,
 * a SERVER span per request (its parent extracted from the W3C {@code traceparent} header), the
 * {@code http.server.request.duration} histogram recorded inside the span so that its exemplars carry the trace id,
 * and instrumented calls to other services (CLIENT spans, context injected, {@code http.client.request.duration}).
 */
abstract class ShopService implements AutoCloseable {
  /** The semantic conventions' advice for HTTP durations, in seconds. */
  private static final List<Double> DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
      0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  protected final ServiceTelemetry telemetry;
  protected final ShopLog log;
  private final HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
  private final TextMapPropagator propagator;
  private final DoubleHistogram serverDuration;
  private final DoubleHistogram clientDuration;
  private final List<Route> routes = new ArrayList<>();
  private final String host;

  ShopService(ServiceTelemetry telemetry, String host, int port) throws IOException {
    this.telemetry = telemetry;
    this.log = new ShopLog(telemetry.logger());
    this.propagator = telemetry.openTelemetry().getPropagators().getTextMapPropagator();
    this.host = host;
    this.serverDuration = telemetry.meter().histogramBuilder("http.server.request.duration").setUnit("s")
        .setDescription("Duration of HTTP server requests.").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    this.clientDuration = telemetry.meter().histogramBuilder("http.client.request.duration").setUnit("s")
        .setDescription("Duration of HTTP client requests.").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    this.server.createContext("/", this::serve);
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Where the other services reach this one (loopback when it listens on every interface). */
  URI uri(String path) {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return URI.create("http://" + h + ":" + port() + path);
  }

  /** A request as a handler sees it: the route's {@code {name}} parts by position. */
  record Request(String method, String path, List<String> params, String body) {}

  record Response(int status, String body) {
    static Response json(int status, String body) {
      return new Response(status, body);
    }
  }

  interface Handler {
    Response handle(Request request) throws Exception;
  }

  private record Route(String method, String template, Pattern pattern, Handler handler) {}

  /** {@code template} as OpenTelemetry's {@code http.route}: {@code /orders/{id}}. */
  protected void route(String method, String template, Handler handler) {
    Pattern pattern = Pattern.compile(template.replaceAll("\\{[^/]+}", "([^/]+)"));
    routes.add(new Route(method, template, pattern, handler));
  }

  private void serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    Route route = null;
    Matcher matcher = null;
    for (Route r : routes) {
      Matcher m = r.pattern().matcher(path);
      if (r.method().equals(method) && m.matches()) {
        route = r;
        matcher = m;
        break;
      }
    }
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (route == null) {
      respond(exchange, new Response(404, "{\"error\":\"not found\"}"));
      return;
    }
    Context parent = propagator.extract(Context.root(), exchange, HEADERS);
    Span span = telemetry.tracer().spanBuilder(method + " " + route.template()).setParent(parent)
        .setSpanKind(SpanKind.SERVER).setAttribute(METHOD, method).setAttribute(ROUTE, route.template())
        .setAttribute("url.path", path).setAttribute("url.scheme", "http").setAttribute(SERVER_ADDRESS, host)
        .setAttribute(SERVER_PORT, (long) port()).startSpan();
    long start = System.nanoTime();
    Response response;
    try (Scope ignored = span.makeCurrent()) {
      List<String> params = new ArrayList<>();
      for (int i = 1; i <= matcher.groupCount(); i++) {
        params.add(matcher.group(i));
      }
      try {
        response = route.handler().handle(new Request(method, path, params, body));
      } catch (Exception e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.toString());
        log.error("unhandled error", "error", e.toString());
        response = new Response(500, "{\"error\":\"internal error\"}");
      }
      span.setAttribute(STATUS, (long) response.status());
      if (response.status() >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      respond(exchange, response);
      serverDuration.record((System.nanoTime() - start) / 1e9, Attributes.of(METHOD, method, ROUTE,
          route.template(), STATUS, (long) response.status()));
    } finally {
      span.end();
    }
  }

  private static void respond(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A call to another service: a CLIENT span, the trace context in its headers. */
  protected HttpResponse<String> call(String method, URI uri, String json) throws IOException, InterruptedException {
    Span span = telemetry.tracer().spanBuilder(method + " " + uri.getPath()).setSpanKind(SpanKind.CLIENT)
        .setAttribute(METHOD, method).setAttribute(SERVER_ADDRESS, uri.getHost())
        .setAttribute(SERVER_PORT, (long) uri.getPort()).setAttribute("url.full", uri.toString()).startSpan();
    long start = System.nanoTime();
    try (Scope ignored = span.makeCurrent()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
      propagator.inject(Context.current(), request, HttpRequest.Builder::header);
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      span.setAttribute(STATUS, (long) response.statusCode());
      if (response.statusCode() >= 400) {
        span.setStatus(StatusCode.ERROR);
      }
      clientDuration.record((System.nanoTime() - start) / 1e9, Attributes.of(METHOD, method, SERVER_ADDRESS,
          uri.getHost(), STATUS, (long) response.statusCode()));
      return response;
    } catch (IOException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.toString());
      throw e;
    } finally {
      span.end();
    }
  }

  /** A query to the shop's database (simulated: it takes {@code millis}), as a database client library traces it. */
  protected void query(String operation, String table, String statement, double millis) throws InterruptedException {
    Span span = telemetry.tracer().spanBuilder(operation + " " + table).setSpanKind(SpanKind.CLIENT)
        .setAttribute("db.system", "postgresql").setAttribute("db.system.name", "postgresql")
        .setAttribute("db.name", "shop").setAttribute("db.namespace", "shop")
        .setAttribute("db.operation.name", operation).setAttribute("db.collection.name", table)
        .setAttribute("db.query.text", statement).setAttribute(SERVER_ADDRESS, "postgres")
        .setAttribute(SERVER_PORT, 5432L).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      sleep(millis);
    } finally {
      span.end();
    }
  }

  static void sleep(double millis) throws InterruptedException {
    long nanos = (long) (millis * 1_000_000);
    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }

  private static final TextMapGetter<HttpExchange> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HttpExchange carrier) {
      return carrier.getRequestHeaders().keySet();
    }

    @Override
    public String get(HttpExchange carrier, String key) {
      return carrier == null ? null : carrier.getRequestHeaders().getFirst(key);
    }
  };
}

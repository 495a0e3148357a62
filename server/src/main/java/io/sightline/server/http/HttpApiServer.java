package io.sightline.server.http;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The one HTTP port (3000 by default) where every query API, the UI and the server's own endpoints live. Other parts
 * of the server add their routes through {@link #builder}'s route hook before it starts.
 */
public final class HttpApiServer implements AutoCloseable {
  private static final Duration GRACEFUL_QUIET_PERIOD = Duration.ofMillis(200);
  private static final Duration GRACEFUL_TIMEOUT = Duration.ofSeconds(5);

  private final Server server;

  private HttpApiServer(Server server) {
    this.server = server;
  }

  /**
   * @param ready whether the server has finished starting: {@code /-/ready} answers 503 until then
   * @param routes adds the APIs of the stores and engines
   */
  public static HttpApiServer create(InetSocketAddress endpoint, long maxRequestBodySize, PrometheusRegistry registry,
      BooleanSupplier ready, Consumer<ServerBuilder> routes) {
    InetSocketAddress address = endpoint.isUnresolved()
        ? new InetSocketAddress(endpoint.getHostString(), endpoint.getPort()) : endpoint;
    ServerBuilder sb = Server.builder()
        .port(address, SessionProtocol.HTTP)
        .maxRequestLength(maxRequestBodySize)
        .gracefulShutdownTimeout(GRACEFUL_QUIET_PERIOD, GRACEFUL_TIMEOUT)
        .service("/metrics", new MetricsService(registry))
        // Prometheus' wording, which health checks written for Prometheus look for.
        .service("/-/healthy", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
            "Sightline is Healthy.\n"))
        .service("/-/ready", (ctx, req) -> ready.getAsBoolean()
            ? HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "Sightline is Ready.\n")
            : HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "Service Unavailable\n"));
    routes.accept(sb);
    return new HttpApiServer(sb.build());
  }

  public void start() {
    server.start().join();
  }

  public int port() {
    return server.activeLocalPort();
  }

  @Override
  public void close() {
    server.stop().join();
  }
}

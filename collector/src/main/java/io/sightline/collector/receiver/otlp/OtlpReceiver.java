package io.sightline.collector.receiver.otlp;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.cors.CorsService;
import com.linecorp.armeria.server.cors.CorsServiceBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.NextConsumers;
import io.sightline.collector.pipeline.Receiver;
import io.sightline.collector.pipeline.Signal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code otlp} receiver: a server for gRPC and one for HTTP, each on its own port, serving the signals that some
 * pipeline carries (the others answer "not found", as in the Collector).
 */
final class OtlpReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(OtlpReceiver.class);
  /** Time the ports stay open after close() for requests in flight to finish; new ones are refused meanwhile. */
  private static final Duration GRACEFUL_QUIET_PERIOD = Duration.ofMillis(500);
  private static final Duration GRACEFUL_TIMEOUT = Duration.ofSeconds(10);

  private final ComponentId id;
  private final OtlpReceiverConfig config;
  private final NextConsumers next;
  private final ObsReport obs;
  private Server grpcServer;
  private Server httpServer;

  OtlpReceiver(ComponentId id, OtlpReceiverConfig config, NextConsumers next, ObsReport obs) {
    this.id = id;
    this.config = config;
    this.next = next;
    this.obs = obs;
  }

  @Override
  public void start() {
    if (config.grpc() != null) {
      grpcServer = grpcServer(config.grpc());
      grpcServer.start().join();
      log.atInfo().addKeyValue("receiver", id).addKeyValue("endpoint", grpcServer.activeLocalPort())
          .log("OTLP gRPC receiver listening");
    }
    if (config.http() != null) {
      httpServer = httpServer(config.http());
      httpServer.start().join();
      log.atInfo().addKeyValue("receiver", id).addKeyValue("endpoint", httpServer.activeLocalPort())
          .log("OTLP HTTP receiver listening");
    }
  }

  @Override
  public Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    if (grpcServer != null) {
      ports.put("grpc", grpcServer.activeLocalPort());
    }
    if (httpServer != null) {
      ports.put("http", httpServer.activeLocalPort());
    }
    return ports;
  }

  @Override
  public void close() {
    // Both ports stop at once: each waits out its own quiet period and Netty's two seconds for its acceptor thread.
    java.util.List<java.util.concurrent.CompletableFuture<Void>> stops = new java.util.ArrayList<>();
    for (Server s : new Server[] {grpcServer, httpServer}) {
      if (s != null) {
        stops.add(s.stop());
      }
    }
    java.util.concurrent.CompletableFuture.allOf(stops.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
  }

  private Server grpcServer(OtlpReceiverConfig.Grpc g) {
    GrpcServiceBuilder services = GrpcService.builder()
        .maxRequestMessageLength(g.maxRecvMsgSizeBytes())
        .enableUnframedRequests(false);
    if (next.traces() != null) {
      services.addService(OtlpGrpcServices.traces(next.traces(), obs.receiver(id, "grpc", Signal.TRACES)));
    }
    if (next.metrics() != null) {
      services.addService(OtlpGrpcServices.metrics(next.metrics(), obs.receiver(id, "grpc", Signal.METRICS)));
    }
    if (next.logs() != null) {
      services.addService(OtlpGrpcServices.logs(next.logs(), obs.receiver(id, "grpc", Signal.LOGS)));
    }
    ServerBuilder sb = Server.builder()
        .port(resolve(g.endpoint()), SessionProtocol.HTTP)
        // The gRPC layer enforces the message limit with RESOURCE_EXHAUSTED as clients expect; the HTTP limit only
        // stops a stream of many messages, so it is set well above.
        .maxRequestLength(4L * g.maxRecvMsgSizeBytes())
        .requestTimeout(g.requestTimeout())
        .gracefulShutdownTimeout(GRACEFUL_QUIET_PERIOD, GRACEFUL_TIMEOUT)
        .service(services.build());
    if (g.maxConcurrentStreams() > 0) {
      sb.http2MaxStreamsPerConnection(g.maxConcurrentStreams());
    }
    return sb.build();
  }

  private Server httpServer(OtlpReceiverConfig.Http h) {
    ServerBuilder sb = Server.builder()
        .port(resolve(h.endpoint()), SessionProtocol.HTTP)
        .maxRequestLength(h.maxRequestBodySize())
        .requestTimeout(h.requestTimeout())
        .gracefulShutdownTimeout(GRACEFUL_QUIET_PERIOD, GRACEFUL_TIMEOUT)
        .errorHandler(new TooLargeMessage(h.maxRequestBodySize()));
    if (next.traces() != null) {
      sb.service(h.tracesPath(), new OtlpHttpService<>(OtlpCodec.TRACES, next.traces(),
          obs.receiver(id, "http", Signal.TRACES), h.maxRequestBodySize()));
    }
    if (next.metrics() != null) {
      sb.service(h.metricsPath(), new OtlpHttpService<>(OtlpCodec.METRICS, next.metrics(),
          obs.receiver(id, "http", Signal.METRICS), h.maxRequestBodySize()));
    }
    if (next.logs() != null) {
      sb.service(h.logsPath(), new OtlpHttpService<>(OtlpCodec.LOGS, next.logs(),
          obs.receiver(id, "http", Signal.LOGS), h.maxRequestBodySize()));
    }
    if (!h.cors().allowedOrigins().isEmpty()) {
      sb.decorator(cors(h.cors()));
    }
    return sb.build();
  }

  private static java.util.function.Function<? super com.linecorp.armeria.server.HttpService, CorsService> cors(
      OtlpReceiverConfig.Cors c) {
    List<Pattern> origins = c.allowedOrigins().stream()
        .map(o -> Pattern.compile(Pattern.quote(o).replace("*", "\\E.*\\Q"))).toList();
    CorsServiceBuilder b = CorsService.builder(origin -> origins.stream().anyMatch(p -> p.matcher(origin).matches()))
        .allowRequestMethods(HttpMethod.POST)
        .allowRequestHeaders("Content-Type", "Content-Encoding", "X-Requested-With")
        .preflightResponseHeader("Vary", "Origin");
    if (!c.allowedHeaders().isEmpty()) {
      b.allowRequestHeaders(c.allowedHeaders());
    }
    if (!c.maxAge().isZero()) {
      b.maxAge(c.maxAge());
    }
    return b.newDecorator();
  }

  /**
   * Says which limit a body broke. Armeria refuses an oversized body before any service sees it, with a generic
   * page; this handler puts the Collector's wording in its place.
   */
  private record TooLargeMessage(long limit) implements ServerErrorHandler {
    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
      return null;
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
        HttpStatus status, String description, Throwable cause) {
      if (status != HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
        return null;
      }
      return AggregatedHttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8,
          "413 request body too large: exceeds max_request_body_size (" + limit + " bytes)");
    }
  }

  private static InetSocketAddress resolve(InetSocketAddress address) {
    return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
  }

  @Override
  public String toString() {
    return "otlp receiver " + id;
  }
}

package io.sightline.collector.receiver.otlp;

import io.sightline.collector.config.ConfigMap;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The Collector's {@code otlp} receiver keys. A protocol that is absent is off; written with no value
 * ({@code grpc:}) it is on with the defaults.
 */
record OtlpReceiverConfig(Grpc grpc, Http http) {
  /** Sightline listens on every interface by default, as Prometheus, Loki and Tempo do (the Collector: localhost). */
  static final String DEFAULT_GRPC_ENDPOINT = "0.0.0.0:4317";
  static final String DEFAULT_HTTP_ENDPOINT = "0.0.0.0:4318";
  /** The Collector's defaults: 4 MiB per gRPC message, 20 MiB per HTTP body. */
  static final int DEFAULT_MAX_RECV_MSG_SIZE_MIB = 4;
  static final long DEFAULT_MAX_REQUEST_BODY_SIZE = 20L * 1024 * 1024;
  /** How long a request may wait for the pipeline to make its data durable before the client is told to retry. */
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  record Grpc(InetSocketAddress endpoint, int maxRecvMsgSizeBytes, int maxConcurrentStreams, Duration requestTimeout) {}

  record Http(InetSocketAddress endpoint, long maxRequestBodySize, String tracesPath, String metricsPath,
      String logsPath, Cors cors, Duration requestTimeout) {}

  /** Browser senders: origins may contain {@code *} wildcards, as in the Collector. Empty means CORS is off. */
  record Cors(List<String> allowedOrigins, List<String> allowedHeaders, Duration maxAge) {}

  static OtlpReceiverConfig parse(ConfigMap m) {
    ConfigMap protocols = m.map("protocols");
    m.finish();
    Grpc grpc = protocols.has("grpc") ? parseGrpc(protocols.map("grpc")) : null;
    Http http = protocols.has("http") ? parseHttp(protocols.map("http")) : null;
    protocols.finish();
    if (grpc == null && http == null) {
      throw m.error("protocols", "must specify at least one protocol when using the OTLP receiver (grpc, http)");
    }
    return new OtlpReceiverConfig(grpc, http);
  }

  private static Grpc parseGrpc(ConfigMap g) {
    g.notSupportedYet("tls", "auth", "keepalive", "read_buffer_size", "write_buffer_size", "include_metadata",
        "max_concurrent_streams_per_connection");
    InetSocketAddress endpoint = g.hostPort("endpoint", DEFAULT_GRPC_ENDPOINT);
    String transport = g.string("transport", "tcp");
    if (!transport.equals("tcp")) {
      throw g.error("transport", "not supported yet: transport \"" + transport + "\" (only tcp)");
    }
    long maxMib = g.longValue("max_recv_msg_size_mib", DEFAULT_MAX_RECV_MSG_SIZE_MIB);
    if (maxMib <= 0 || maxMib > 1024) {
      throw g.error("max_recv_msg_size_mib", "must be between 1 and 1024");
    }
    int streams = g.intValue("max_concurrent_streams", 0);
    Duration timeout = g.duration("request_timeout", DEFAULT_REQUEST_TIMEOUT);
    g.finish();
    return new Grpc(endpoint, (int) (maxMib * 1024 * 1024), streams, timeout);
  }

  private static Http parseHttp(ConfigMap h) {
    h.notSupportedYet("tls", "auth", "include_metadata", "response_headers", "compression_algorithms");
    InetSocketAddress endpoint = h.hostPort("endpoint", DEFAULT_HTTP_ENDPOINT);
    long maxBody = h.bytes("max_request_body_size", DEFAULT_MAX_REQUEST_BODY_SIZE);
    if (maxBody <= 0 || maxBody > Integer.MAX_VALUE) {
      throw h.error("max_request_body_size", "must be between 1 byte and 2 GiB");
    }
    String traces = path(h, "traces_url_path", "/v1/traces");
    String metrics = path(h, "metrics_url_path", "/v1/metrics");
    String logs = path(h, "logs_url_path", "/v1/logs");
    ConfigMap c = h.map("cors");
    Cors cors = new Cors(c.stringList("allowed_origins"), c.stringList("allowed_headers"),
        Duration.ofSeconds(c.longValue("max_age", 0)));
    c.finish();
    Duration timeout = h.duration("request_timeout", DEFAULT_REQUEST_TIMEOUT);
    h.finish();
    return new Http(endpoint, maxBody, traces, metrics, logs, cors, timeout);
  }

  private static String path(ConfigMap m, String key, String defaultValue) {
    String p = m.string(key, defaultValue);
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    return p;
  }
}

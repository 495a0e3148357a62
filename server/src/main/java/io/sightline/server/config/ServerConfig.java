package io.sightline.server.config;

import io.sightline.collector.config.ConfigMap;
import io.sightline.promql.engine.EngineOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Sightline's own keys: the {@code server} section, and the Collector's {@code service.telemetry.logs.level}.
 *
 * @param httpEndpoint where the query APIs, the UI and {@code /metrics} listen
 * @param dataDir where the embedded stores keep their files
 * @param shutdownTimeout how long SIGTERM waits for pipelines to drain and stores to close before giving up
 * @param logLevel the root log level
 * @param adminApi whether {@code /api/v1/admin/*} works (Prometheus' {@code --web.enable-admin-api}; off by default,
 *     since it can delete data)
 * @param lifecycleApi whether {@code POST /-/reload} works (Prometheus' {@code --web.enable-lifecycle}; off by default)
 * @param query the PromQL engine's limits: Prometheus' {@code query.lookback-delta}, {@code query.max-samples} and
 *     {@code query.timeout}
 * @param dashboardsPath {@code ui.dashboards.path}: a directory of Grafana dashboard JSON files the UI lists, or null
 */
public record ServerConfig(InetSocketAddress httpEndpoint, long maxRequestBodySize, Path dataDir,
    Duration shutdownTimeout, String logLevel, boolean adminApi, boolean lifecycleApi, EngineOptions query, Path dashboardsPath) {
  static final String DEFAULT_HTTP_ENDPOINT = "0.0.0.0:3000";
  /** Query requests are small; this only bounds form-encoded POSTs and pushes to the query port. */
  static final long DEFAULT_MAX_REQUEST_BODY_SIZE = 20L * 1024 * 1024;
  static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "error");

  /** Reads the keys it owns from the whole config; the caller checks for unknown keys afterwards. */
  public static ServerConfig parse(ConfigMap root) {
    ConfigMap server = root.map("server");
    ConfigMap http = server.map("http");
    InetSocketAddress endpoint = http.hostPort("endpoint", DEFAULT_HTTP_ENDPOINT);
    long maxBody = http.bytes("max_request_body_size", DEFAULT_MAX_REQUEST_BODY_SIZE);
    boolean adminApi = http.bool("enable_admin_api", false);
    boolean lifecycleApi = http.bool("enable_lifecycle", false);
    http.notSupportedYet("tls", "auth", "cors");
    http.finish();
    ConfigMap query = server.map("query");
    EngineOptions defaults = EngineOptions.DEFAULTS;
    Duration lookback = query.duration("lookback_delta", defaults.lookbackDelta());
    long maxSamples = query.longValue("max_samples", defaults.maxSamples());
    Duration timeout = query.duration("timeout", defaults.timeout());
    if (lookback.isNegative() || lookback.isZero()) {
      throw query.error("lookback_delta", "must be positive");
    }
    if (maxSamples <= 0) {
      throw query.error("max_samples", "must be positive");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw query.error("timeout", "must be positive");
    }
    query.finish();
    Path dataDir = Path.of(server.string("data_dir", "./data"));
    Duration shutdown = server.duration("shutdown_timeout", DEFAULT_SHUTDOWN_TIMEOUT);
    server.finish();

    ConfigMap ui = root.map("ui");
    ConfigMap dashboards = ui.map("dashboards");
    String dashboardsPath = dashboards.string("path", null);
    dashboards.finish();
    ui.finish();

    ConfigMap telemetry = root.map("service").map("telemetry");
    ConfigMap logs = telemetry.map("logs");
    String level = logs.string("level", "info").toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw logs.error("level", "invalid log level \"" + level + "\" (valid values: debug, info, warn, error)");
    }
    logs.finish();
    telemetry.notSupportedYet("metrics", "traces", "resource");
    telemetry.finish();
    return new ServerConfig(endpoint, maxBody, dataDir, shutdown, level, adminApi, lifecycleApi,
        new EngineOptions(lookback, maxSamples, timeout),
        dashboardsPath == null || dashboardsPath.isBlank() ? null : Path.of(dashboardsPath));
  }
}

package io.sightline.server.embedded;

import com.linecorp.armeria.server.ServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sightline.collector.receiver.loki.LokiDistributor;
import io.sightline.collector.receiver.loki.LokiPushService;
import io.sightline.collector.receiver.loki.OtlpLogsService;
import io.sightline.logstore.LogStore;
import io.sightline.logstore.db.LogDb;
import io.sightline.metricstore.MetricStore;
import io.sightline.metricstore.db.Tsdb;
import io.sightline.server.config.StorageConfig;
import io.sightline.tracestore.TraceStore;
import io.sightline.tracestore.db.TraceDb;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The stores the server embeds under its data directory, and the routes that write to them directly. Opened at
 * start (opening replays the WAL), closed last at shutdown.
 *
 * <pre>
 *   data_dir/metrics/   the metric store: wal/ and blocks/ (metric-store/FORMAT.md)
 *   data_dir/traces/    the trace store: wal/ and blocks/ (trace-store/FORMAT.md)
 *   data_dir/logs/      the log store (log-store/FORMAT.md)
 * </pre>
 */
public final class EmbeddedStores implements AutoCloseable {
  private final Path dataDir;
  private final StorageConfig config;
  private volatile MetricStore metrics;
  private volatile TraceStore traces;
  private volatile LogStore logs;
  private final LokiDistributor logDistributor;

  public EmbeddedStores(Path dataDir, StorageConfig config) {
    this.dataDir = dataDir;
    this.config = config;
    this.logDistributor = new LokiDistributor(config.logLimits(), new LogStoreSink(() -> logs));
  }

  public void open() throws IOException {
    metrics = Tsdb.open(dataDir.resolve("metrics"), config.metrics());
    traces = TraceDb.open(dataDir.resolve("traces"), config.traces());
    logs = LogDb.open(dataDir.resolve("logs"), config.logs());
  }

  public MetricStore metrics() {
    return metrics;
  }

  public TraceStore traces() {
    return traces;
  }

  public StorageConfig config() {
    return config;
  }

  public LogStore logs() {
    return logs;
  }

  /** Loki's write path into the log store: validation, limits, OTLP mapping; usable once {@link #open} returned. */
  public LokiDistributor logDistributor() {
    return logDistributor;
  }

  /**
   * {@code /api/v1/write}, refused (retryably) while {@code guard} says memory is short; Zipkin's
   * {@code /api/v2/spans}, whose decompressed bodies {@code maxRequestBodySize} bounds as it bounds the port's; Loki's
   * {@code /loki/api/v1/push} (and its old path {@code /api/prom/push}) and {@code /otlp/v1/logs}, with Loki's 413
   * for a body past the port's limit.
   */
  public void addRoutes(ServerBuilder sb, PrometheusRegistry registry,
      io.sightline.collector.processor.memorylimiter.HeapGuard guard, long maxRequestBodySize) {
    sb.service("/api/v1/write", new RemoteWriteService(() -> metrics, config.metricsLimits(), registry, guard));
    sb.service("/api/v2/spans", new ZipkinSpansService(() -> traces, maxRequestBodySize, registry));
    LokiPushService push = new LokiPushService(logDistributor);
    sb.service("/loki/api/v1/push", push);
    sb.service("/api/prom/push", push);
    sb.service("/otlp/v1/logs", new OtlpLogsService(logDistributor));
    sb.errorHandler(new LokiTooLargeAnswers());
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    try {
      if (logs != null) {
        logs.close();
      }
    } catch (IOException e) {
      failure = e;
    }
    try {
      if (traces != null) {
        traces.close();
      }
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (metrics != null) {
      metrics.close();
    }
    if (failure != null) {
      throw failure;
    }
  }
}

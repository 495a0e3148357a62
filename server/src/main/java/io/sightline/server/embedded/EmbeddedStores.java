package io.sightline.server.embedded;

import com.linecorp.armeria.server.ServerBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
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
 * </pre>
 */
public final class EmbeddedStores implements AutoCloseable {
  private final Path dataDir;
  private final StorageConfig config;
  private volatile MetricStore metrics;
  private volatile TraceStore traces;

  public EmbeddedStores(Path dataDir, StorageConfig config) {
    this.dataDir = dataDir;
    this.config = config;
  }

  public void open() throws IOException {
    metrics = Tsdb.open(dataDir.resolve("metrics"), config.metrics());
    traces = TraceDb.open(dataDir.resolve("traces"), config.traces());
  }

  public MetricStore metrics() {
    return metrics;
  }

  public TraceStore traces() {
    return traces;
  }

  /**
   * {@code /api/v1/write}, refused (retryably) while {@code guard} says memory is short, and Zipkin's
   * {@code /api/v2/spans}, whose decompressed bodies {@code maxRequestBodySize} bounds as it bounds the port's.
   */
  public void addRoutes(ServerBuilder sb, PrometheusRegistry registry,
      io.sightline.collector.processor.memorylimiter.HeapGuard guard, long maxRequestBodySize) {
    sb.service("/api/v1/write", new RemoteWriteService(() -> metrics, config.metricsLimits(), registry, guard));
    sb.service("/api/v2/spans", new ZipkinSpansService(() -> traces, maxRequestBodySize, registry));
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    try {
      if (traces != null) {
        traces.close();
      }
    } catch (IOException e) {
      failure = e;
    }
    if (metrics != null) {
      metrics.close();
    }
    if (failure != null) {
      throw failure;
    }
  }
}

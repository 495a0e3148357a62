package io.sightline.collector.exporter.prometheus;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.sightline.collector.pipeline.ConsumeResult;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.translate.prometheus.OtlpMetricsTranslator;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Keeps the latest value of every series in a {@link SeriesCache} and serves it on {@code GET /metrics}. A batch is
 * taken once it is in the cache, so the pipeline's request completes at once; what a scraper has not read when the
 * process stops is gone, as in the Collector.
 */
final class PrometheusExporter implements Exporter<Metrics> {
  static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final CompletableFuture<ConsumeResult> ACCEPTED =
      CompletableFuture.completedFuture(ConsumeResult.ACCEPTED);

  private final String name;
  private final PrometheusExporterFactory.Config config;
  private final SeriesCache cache;
  private final LongSupplier nanoTime;
  private Server server;

  PrometheusExporter(String name, PrometheusExporterFactory.Config config, LongSupplier nanoTime) {
    this.name = name;
    this.config = config;
    this.nanoTime = nanoTime;
    this.cache = new SeriesCache(new OtlpMetricsTranslator(config.translation()), config.constLabels(),
        config.metricExpiration().toNanos());
  }

  @Override
  public synchronized void start() {
    InetSocketAddress at = config.endpoint();
    InetSocketAddress bind = at.isUnresolved() ? new InetSocketAddress(at.getHostString(), at.getPort()) : at;
    server = Server.builder().http(bind)
        .service("/metrics", (ctx, req) -> {
          boolean open = config.enableOpenMetrics()
              && req.headers().accept().stream().anyMatch(m -> m.is(MediaType.parse("application/openmetrics-text")));
          String body = cache.render(open, config.sendTimestamps(), nanoTime.getAsLong());
          return HttpResponse.of(HttpStatus.OK, MediaType.parse(open ? OPENMETRICS_TYPE : TEXT_TYPE), body);
        })
        .build();
    server.start().join();
  }

  /** The port the endpoint listens on (the real one when the config asked for 0). */
  synchronized int port() {
    return server.activeLocalPort();
  }

  @Override
  public CompletableFuture<ConsumeResult> consume(Metrics batch) {
    cache.add(batch, nanoTime.getAsLong());
    return ACCEPTED;
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop().join();
      server = null;
    }
  }

  @Override
  public String toString() {
    return "prometheus exporter " + name;
  }
}

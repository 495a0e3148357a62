package io.sightline.server;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.sightline.api.jaeger.JaegerApi;
import io.sightline.api.loki.LokiApi;
import io.sightline.api.prometheus.PrometheusApi;
import io.sightline.api.tempo.TempoApi;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.obsreport.ObsReport;
import io.sightline.collector.pipeline.ComponentId;
import io.sightline.collector.pipeline.Components;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Host;
import io.sightline.collector.pipeline.Pipelines;
import io.sightline.collector.pipeline.Receiver;
import io.sightline.collector.exporter.debug.DebugExporterFactory;
import io.sightline.collector.exporter.nop.NopExporterFactory;
import io.sightline.collector.exporter.otlp.OtlpExporterFactory;
import io.sightline.collector.exporter.otlphttp.OtlpHttpExporterFactory;
import io.sightline.collector.exporter.prometheus.PrometheusExporterFactory;
import io.sightline.collector.exporter.prometheusremotewrite.PrometheusRemoteWriteExporterFactory;
import io.sightline.collector.processor.attributes.AttributesProcessorFactory;
import io.sightline.collector.processor.batch.BatchProcessorFactory;
import io.sightline.collector.processor.resource.ResourceProcessorFactory;
import io.sightline.collector.processor.memorylimiter.HeapGuard;
import io.sightline.collector.processor.memorylimiter.MemoryLimiterProcessorFactory;
import io.sightline.collector.receiver.otlp.OtlpReceiverFactory;
import io.sightline.server.config.ServerConfig;
import io.sightline.server.config.StorageConfig;
import io.sightline.collector.generator.GeneratorConfig;
import io.sightline.collector.generator.MetricsGenerator;
import io.sightline.server.embedded.EmbeddedStores;
import io.sightline.server.embedded.GeneratorSink;
import io.sightline.server.embedded.Scraping;
import io.sightline.server.embedded.SightlineExporterFactory;
import io.sightline.server.embedded.StoredSpans;
import io.sightline.collector.receiver.prometheus.ScrapeManager;
import io.sightline.collector.remotewrite.RemoteStorage;
import io.sightline.server.http.HttpApiServer;
import io.sightline.server.http.UiRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Sightline server: the pipelines of its config and the HTTP port, put together from a validated config. Built
 * in full (every key checked) before anything opens a port, so a bad config fails without side effects.
 */
public final class Sightline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sightline.class);
  /** What Sightline calls itself to the servers it scrapes and remote-writes to. */
  private static final String USER_AGENT = "Sightline (Prometheus/" + PrometheusApi.REPORTED_VERSION + " compatible)";

  private final ServerConfig serverConfig;
  /**
   * What one Jaeger search or {@code /api/dependencies} (which counts calls from the traces themselves) reads at
   * most: the newest traces of its window, as many as Tempo's search reads by default.
   */
  private static final int JAEGER_MAX_TRACES_READ = 50_000;
  private final EmbeddedStores stores;
  private final Pipelines pipelines;
  private final HttpApiServer http;
  private volatile boolean ready;
  private boolean closed;

  private final HeapGuard writeGuard;
  private final Scraping scraping;
  /** Tempo's metrics generator over the stored spans, or null when {@code metrics_generator.processors} is empty. */
  private final MetricsGenerator generator;
  /** The generator's {@code storage.remote_write} endpoints, or null when it has none. */
  private final RemoteStorage generatorRemoteWrite;
  private final java.time.Duration generatorFlushDeadline;

  private Sightline(ServerConfig serverConfig, EmbeddedStores stores, Pipelines pipelines,
      PrometheusRegistry registry, PrometheusApi.Options apiOptions, HeapGuard writeGuard, Scraping scraping,
      MetricsGenerator generator, RemoteStorage generatorRemoteWrite, java.time.Duration generatorFlushDeadline) {
    this.serverConfig = serverConfig;
    this.generatorRemoteWrite = generatorRemoteWrite;
    this.generatorFlushDeadline = generatorFlushDeadline;
    this.stores = stores;
    this.pipelines = pipelines;
    this.writeGuard = writeGuard;
    this.scraping = scraping;
    this.generator = generator;
    this.http = HttpApiServer.create(serverConfig.httpEndpoint(), serverConfig.maxRequestBodySize(), registry,
        () -> ready, routes -> {
          stores.addRoutes(routes, registry, writeGuard, serverConfig.maxRequestBodySize());
          new PrometheusApi(stores::metrics, apiOptions).addRoutes(routes);
          new TempoApi(stores::traces).addRoutes(routes);
          new JaegerApi(stores::traces, JAEGER_MAX_TRACES_READ).addRoutes(routes);
          new LokiApi(stores::logs, stores.config().logQueries(), java.time.Clock.systemUTC()).addRoutes(routes);
          routes.service("/-/reload", this::reloadRequest);
          new io.sightline.server.dashboards.DashboardsApi(new io.sightline.server.dashboards.DashboardStore(
              serverConfig.dashboardsPath(), serverConfig.dataDir().resolve("dashboards"))).addRoutes(routes);
          UiRoutes.addTo(routes);
        });
  }

  /** Where {@link #reload} reads the configuration again (the file and flags it started from), or null. */
  private java.util.function.Supplier<ConfigMap> configSource;

  /**
   * Reads the configuration again, checks all of it as at start, and applies its {@code scrape} section: Prometheus'
   * reload. Jobs that did not change keep running. The other sections take effect at the next start; a change there
   * is logged.
   *
   * @throws io.sightline.collector.config.ConfigException when the new configuration is invalid; the running one stays
   */
  public synchronized void reload() {
    if (configSource == null) {
      throw new IllegalStateException("this server was not started from a configuration it can read again");
    }
    // Built as at start, which checks all of it, but never started: only its scrape jobs are taken.
    Sightline candidate = new Builder(configSource.get()).build();
    scraping.apply(candidate.scraping.manager());
    log.info("configuration reloaded: scrape jobs applied; other sections apply at the next start");
  }

  /** {@code POST /-/reload}, with Prometheus' answers: 403 unless enabled, 500 with the reason when it fails. */
  private HttpResponse reloadRequest(com.linecorp.armeria.server.ServiceRequestContext ctx,
      com.linecorp.armeria.common.HttpRequest req) {
    if (req.method() != com.linecorp.armeria.common.HttpMethod.POST
        && req.method() != com.linecorp.armeria.common.HttpMethod.PUT) {
      return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
          "Only POST or PUT requests allowed\n");
    }
    if (!serverConfig.lifecycleApi()) {
      return HttpResponse.of(HttpStatus.FORBIDDEN, MediaType.PLAIN_TEXT_UTF_8,
          "Lifecycle API is not enabled.\n");
    }
    return HttpResponse.of(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        reload();
        return HttpResponse.of(HttpStatus.OK);
      } catch (RuntimeException e) {
        log.atError().addKeyValue("err", e.getMessage()).log("error reloading the configuration");
        return HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR, MediaType.PLAIN_TEXT_UTF_8,
            "failed to reload config: " + e.getMessage() + "\n");
      }
    }, ctx.blockingTaskExecutor()));
  }

  /** Sizes as Prometheus prints them: the largest binary unit that divides evenly ({@code 1GiB}, {@code 0B}). */
  private static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (u < units.length - 1 && n != 0 && n % 1024 == 0) {
      n /= 1024;
      u++;
    }
    return n + units[u];
  }

  /**
   * What the Prometheus API says about this server: the effective config (secrets masked), and Prometheus' flags
   * for the settings Sightline has under other names.
   */
  private static PrometheusApi.Options apiOptions(ConfigMap config, ServerConfig server, StorageConfig storage,
      io.sightline.api.prometheus.ScrapeTargets targets) {
    var metrics = storage.metrics();
    String retention = metrics.retentionMs() == 0 && metrics.retentionBytes() == 0 ? "unlimited"
        : (metrics.retentionMs() > 0 ? io.sightline.core.model.Durations.format(metrics.retentionMs()) : "")
            + (metrics.retentionMs() > 0 && metrics.retentionBytes() > 0 ? " or " : "")
            + (metrics.retentionBytes() > 0 ? bytes(metrics.retentionBytes()) : "");
    Map<String, String> flags = new java.util.TreeMap<>();
    flags.put("storage.tsdb.path", server.dataDir().resolve("metrics").toString());
    flags.put("storage.tsdb.retention.time", io.sightline.core.model.Durations.format(metrics.retentionMs()));
    flags.put("storage.tsdb.retention.size", bytes(metrics.retentionBytes()));
    flags.put("storage.tsdb.min-block-duration", io.sightline.core.model.Durations.format(metrics.blockRangeMs()));
    flags.put("web.listen-address", server.httpEndpoint().getHostString() + ":" + server.httpEndpoint().getPort());
    flags.put("web.enable-admin-api", Boolean.toString(server.adminApi()));
    flags.put("web.enable-lifecycle", Boolean.toString(server.lifecycleApi()));
    flags.put("web.enable-remote-write-receiver", "true");
    flags.put("query.lookback-delta", io.sightline.core.model.Durations.format(server.query().lookbackDelta().toMillis()));
    flags.put("query.max-samples", Long.toString(server.query().maxSamples()));
    flags.put("query.timeout", io.sightline.core.model.Durations.format(server.query().timeout().toMillis()));
    flags.put("log.level", server.logLevel());
    return new PrometheusApi.Options(targets, server.adminApi(),
        io.sightline.collector.config.ConfigYaml.render(config), flags, retention, server.query());
  }

  public static Builder builder(ConfigMap config) {
    return new Builder(config);
  }

  /**
   * Opens the stores (replaying their WALs), then the pipelines' ports, then the HTTP port; closes what was opened if
   * anything fails.
   */
  public Sightline start() throws Exception {
    stores.open();
    if (generatorRemoteWrite != null) {
      generatorRemoteWrite.start();
    }
    if (generator != null) {
      generator.start();
    }
    writeGuard.start();
    try {
      pipelines.start();
    } catch (Exception e) {
      writeGuard.close();
      closeGenerator();
      flushRemoteWrite(System.nanoTime());
      stores.close();
      throw e;
    }
    try {
      http.start();
    } catch (RuntimeException e) {
      pipelines.close();
      writeGuard.close();
      closeGenerator();
      flushRemoteWrite(System.nanoTime());
      stores.close();
      throw e;
    }
    scraping.start(USER_AGENT);
    ready = true;
    log.atInfo().addKeyValue("http_port", http.port()).addKeyValue("data_dir", serverConfig.dataDir())
        .log("Sightline is ready");
    return this;
  }

  public int httpPort() {
    return http.port();
  }

  /** The ports of a started receiver by transport, e.g. {@code receiverPorts("otlp").get("grpc")}. */
  public Map<String, Integer> receiverPorts(String receiverId) {
    Receiver r = pipelines.receiver(ComponentId.parse(receiverId));
    return r == null ? Map.of() : r.ports();
  }

  public ServerConfig serverConfig() {
    return serverConfig;
  }

  /** The embedded metric store, for tests that look inside. */
  public io.sightline.metricstore.MetricStore metricStore() {
    return stores.metrics();
  }

  /** The embedded log store, for tests that look inside. */
  public io.sightline.logstore.LogStore logStore() {
    return stores.logs();
  }

  /**
   * Graceful shutdown: receivers stop accepting and answer what is in flight, pipelines drain, exporters and stores
   * flush and close. The HTTP port (remote write, queries, health) drains beside the pipelines rather than after
   * them: stopping a port costs Netty's fixed two seconds, and readiness already reports the server as going.
   * Stores close only when both are done. Gives up after {@code server.shutdown_timeout}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ready = false;
    long shutdownStart = System.nanoTime();
    // Threads of its own: the common pool may have a single thread (two cores), which a component's own
    // asynchronous work (the JDK HTTP client completes on it) would then wait for behind the shutdown itself.
    java.util.concurrent.ExecutorService steps = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
      scraping.close();
      CompletableFuture<Void> httpClosed = CompletableFuture.runAsync(http::close, steps);
      pipelines.close();
      httpClosed.join();
      writeGuard.close();
      // After the pipelines (every stored span is counted), before the stores (its last collection goes in).
      closeGenerator();
      // The remote-write queues send what they hold while the stores close, within what is left of the shutdown.
      CompletableFuture<Void> flushed = CompletableFuture.runAsync(() -> flushRemoteWrite(shutdownStart), steps);
      try {
        stores.close();
      } catch (java.io.IOException e) {
        log.atError().setCause(e).log("error while closing the stores");
      }
      flushed.join();
    }, steps);
    try {
      shutdown.get(serverConfig.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
      log.info("Sightline stopped");
    } catch (TimeoutException e) {
      log.atError().addKeyValue("timeout", serverConfig.shutdownTimeout())
          .log("shutdown did not finish in time; stopping anyway");
    } catch (Exception e) {
      log.atError().setCause(e).log("error during shutdown");
    } finally {
      steps.shutdown();
    }
  }

  private void closeGenerator() {
    if (generator != null) {
      generator.close();
    }
  }

  /**
   * Flushes the generator's remote-write queues for at most {@code remote_write_flush_deadline}, and never past
   * {@code server.shutdown_timeout} (less a second for the rest of the shutdown).
   */
  private void flushRemoteWrite(long shutdownStartNanos) {
    if (generatorRemoteWrite == null) {
      return;
    }
    java.time.Duration left = serverConfig.shutdownTimeout().minusNanos(System.nanoTime() - shutdownStartNanos)
        .minusSeconds(1);
    java.time.Duration deadline = left.compareTo(generatorFlushDeadline) < 0 ? left : generatorFlushDeadline;
    generatorRemoteWrite.close(deadline.isNegative() ? java.time.Duration.ZERO : deadline);
  }

  /** Collects extra components (tests add exporters that record what they see), then validates and builds. */
  public static final class Builder {
    private final ConfigMap config;
    private final List<ExporterFactory<?>> extraExporters = new ArrayList<>();
    private java.util.function.Supplier<ConfigMap> reloadSource;

    /** Where {@code POST /-/reload} and SIGHUP read the configuration again: the same files and flags. */
    public Builder reloadFrom(java.util.function.Supplier<ConfigMap> source) {
      reloadSource = source;
      return this;
    }


    private Builder(ConfigMap config) {
      this.config = config;
    }

    public Builder exporter(ExporterFactory<?> factory) {
      extraExporters.add(factory);
      return this;
    }

    /** The generator's remote-write endpoints, their metrics on {@code /metrics}; null when it has none. */
    private static RemoteStorage generatorRemoteWrite(GeneratorConfig config, PrometheusRegistry registry) {
      if (!config.enabled() || config.storage().remoteWrite().isEmpty()) {
        return null;
      }
      return new RemoteStorage(config.storage().remoteWrite(), USER_AGENT, registry);
    }

    /** The generator writing into the metric store and the remote-write queues, its own metrics on /metrics. */
    private static MetricsGenerator generator(GeneratorConfig config, EmbeddedStores stores, RemoteStorage remote,
        PrometheusRegistry registry) {
      GeneratorSink sink = new GeneratorSink(stores::metrics, remote);
      MetricsGenerator generator = new MetricsGenerator(config, sink);
      io.prometheus.metrics.core.metrics.GaugeWithCallback.builder()
          .name("sightline_metrics_generator_active_series")
          .help("Series the metrics generator holds (a histogram counts as 2 + buckets).")
          .callback(cb -> cb.call(generator.activeSeries())).register(registry);
      io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
          .name("sightline_metrics_generator_series_limited")
          .help("Series the metrics generator did not create because max_active_series was reached.")
          .callback(cb -> cb.call(generator.limitedSeries())).register(registry);
      io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
          .name("sightline_metrics_generator_spans_discarded")
          .help("Spans the metrics generator left out as ended outside metrics_ingestion_time_range_slack.")
          .callback(cb -> cb.call(generator.spansOutsideSlack())).register(registry);
      io.prometheus.metrics.core.metrics.CounterWithCallback.builder()
          .name("sightline_metrics_generator_samples_refused")
          .help("Generated samples the metric store refused (over max_series, or older than the series' newest).")
          .callback(cb -> cb.call(sink.refused())).register(registry);
      return generator;
    }

    /** Validates the whole config and builds every component, opening nothing yet. */
    public Sightline build() {
      ServerConfig serverConfig = ServerConfig.parse(config);
      StorageConfig storageConfig = StorageConfig.parse(config);
      PrometheusRegistry registry = new PrometheusRegistry();
      JvmMetrics.builder().register(registry);
      // Built (not opened) first: the sightline exporter reaches the metric store through it once it opens.
      EmbeddedStores stores = new EmbeddedStores(serverConfig.dataDir(), storageConfig);
      GeneratorConfig generatorConfig = GeneratorConfig.parse(config.map("metrics_generator"));
      RemoteStorage remoteWrite = generatorRemoteWrite(generatorConfig, registry);
      MetricsGenerator generator = generatorConfig.enabled() ? generator(generatorConfig, stores, remoteWrite,
          registry) : null;
      Components.Builder components = Components.builder()
          .receiver(new OtlpReceiverFactory())
          .processor(new MemoryLimiterProcessorFactory())
          .processor(new BatchProcessorFactory())
          .processor(new AttributesProcessorFactory())
          .processor(new ResourceProcessorFactory())
          .exporter(new DebugExporterFactory())
          .exporter(new NopExporterFactory())
          .exporter(new OtlpExporterFactory())
          .exporter(new OtlpHttpExporterFactory())
          .exporter(new PrometheusRemoteWriteExporterFactory())
          .exporter(new PrometheusExporterFactory())
          .exporter(new SightlineExporterFactory(stores::metrics, stores::traces, stores::logDistributor,
              generator == null ? StoredSpans.NONE : generator::pushEncoded));
      extraExporters.forEach(components::exporter);
      Host host = new Host(serverConfig.dataDir(), new ObsReport(registry));
      Pipelines pipelines = Pipelines.build(config, components.build(), host);
      ScrapeManager scrapeManager = ScrapeManager.parse(config.map("scrape"));
      config.map("service").finish();
      config.finish();
      HeapGuard writeGuard = HeapGuard.parse(storageConfig.metricsWriteMemoryLimiter(), host.obsReport(),
          "memory_limiter/remote_write");
      Scraping scraping = new Scraping(scrapeManager, stores::metrics, registry);
      Sightline sightline = new Sightline(serverConfig, stores, pipelines, registry,
          apiOptions(config, serverConfig, storageConfig, scraping), writeGuard, scraping, generator, remoteWrite,
          generatorConfig.storage().flushDeadline());
      sightline.configSource = reloadSource;
      return sightline;
    }
  }
}

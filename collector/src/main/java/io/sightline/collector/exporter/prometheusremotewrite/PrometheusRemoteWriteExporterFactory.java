package io.sightline.collector.exporter.prometheusremotewrite;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.exporter.client.ClientSettings;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Metrics;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.queue.ExporterHelper;
import io.sightline.collector.queue.QueueSettings;
import io.sightline.collector.queue.RetrySettings;
import io.sightline.collector.remotewrite.RemoteWriteClient;
import io.sightline.collector.remotewrite.RemoteWriteConfig;
import io.sightline.collector.translate.prometheus.OtlpMetricsTranslator;
import io.sightline.collector.translate.prometheus.TranslationStrategy;
import io.sightline.collector.translate.prometheus.TranslatorConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Type {@code prometheusremotewrite}, metrics only, with contrib's keys and defaults: {@code timeout} 5s,
 * {@code remote_write_queue} (10000 batches), {@code retry_on_failure} with its own quick defaults (50ms, 200ms,
 * 1m), {@code max_batch_size_bytes} 3000000, {@code target_info} on, {@code add_metric_suffixes} on.
 */
public final class PrometheusRemoteWriteExporterFactory
    implements ExporterFactory<PrometheusRemoteWriteExporterFactory.Config> {
  private static final Logger log = LoggerFactory.getLogger(PrometheusRemoteWriteExporterFactory.class);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  static final int DEFAULT_QUEUE_SIZE = 10_000;
  static final int DEFAULT_NUM_CONSUMERS = 5;
  static final long DEFAULT_MAX_BATCH_SIZE_BYTES = 3_000_000;
  /** The exporter's own retry defaults, quicker than the exporterhelper's. */
  static final RetrySettings DEFAULT_RETRY = new RetrySettings(true, Duration.ofMillis(50), 0.5, 1.5,
      Duration.ofMillis(200), Duration.ofMinutes(1));
  /** Headers the exporter sets itself. */
  private static final Set<String> RESERVED = Set.of("content-encoding", "content-type",
      "x-prometheus-remote-write-version", "user-agent");
  static final String USER_AGENT = "Sightline prometheusremotewrite exporter";

  /**
   * @param queue the exporterhelper queue made of {@code remote_write_queue}: one consumer, so that samples of a
   *     series leave in order
   */
  public record Config(URI url, Map<String, String> headers, Duration timeout, Map<String, String> externalLabels,
      TranslatorConfig translation, boolean sendMetadata, long maxBatchSizeBytes, QueueSettings queue,
      RetrySettings retry) {
    public Config {
      headers = Map.copyOf(headers);
      externalLabels = Map.copyOf(externalLabels);
    }
  }

  @Override
  public String type() {
    return "prometheusremotewrite";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.of(Signal.METRICS);
  }

  @Override
  public Config parseConfig(ConfigMap m) {
    m.notSupportedYet("wal", "auth", "proxy_url");
    String endpoint = m.string("endpoint", "").strip();
    ClientSettings.insecure(m.map("tls")); // an http:// endpoint needs no TLS, whatever tls.insecure says
    Map<String, String> headers = ClientSettings.headers(m.map("headers"));
    Duration timeout = m.duration("timeout", DEFAULT_TIMEOUT);
    Map<String, String> external = ClientSettings.headers(m.map("external_labels"));
    String namespace = m.string("namespace", "");
    boolean suffixes = m.bool("add_metric_suffixes", true);
    ConfigMap toTelemetry = m.map("resource_to_telemetry_conversion");
    boolean promoteAll = toTelemetry.bool("enabled", false);
    toTelemetry.finish();
    ConfigMap targetInfo = m.map("target_info");
    boolean targetInfoEnabled = targetInfo.bool("enabled", true);
    targetInfo.finish();
    ConfigMap created = m.map("export_created_metric");
    boolean createdEnabled = created.bool("enabled", false);
    created.finish();
    boolean sendMetadata = m.bool("send_metadata", false);
    long maxBatch = m.longValue("max_batch_size_bytes", DEFAULT_MAX_BATCH_SIZE_BYTES);
    m.intValue("max_batch_request_parallelism", DEFAULT_NUM_CONSUMERS);
    String message = m.string("protobuf_message", RemoteWriteConfig.WRITE_V1);
    ConfigMap rwq = m.map("remote_write_queue");
    boolean queueEnabled = rwq.bool("enabled", true);
    int queueSize = rwq.intValue("queue_size", DEFAULT_QUEUE_SIZE);
    int consumers = rwq.intValue("num_consumers", DEFAULT_NUM_CONSUMERS);
    rwq.finish();
    RetrySettings retry = RetrySettings.parse(m.map("retry_on_failure"), DEFAULT_RETRY);
    m.finish();

    if (endpoint.isEmpty()) {
      throw m.error("endpoint", "endpoint must be specified");
    }
    URI url;
    try {
      url = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw m.error("endpoint", "invalid endpoint \"" + endpoint + "\": " + e.getReason());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      throw m.error("endpoint", ClientSettings.tlsNotSupported(endpoint));
    }
    if (!scheme.equals("http") || url.getHost() == null) {
      throw m.error("endpoint", "invalid endpoint \"" + endpoint + "\": must be an http URL");
    }
    for (String h : headers.keySet()) {
      if (RESERVED.contains(h.toLowerCase(Locale.ROOT))) {
        throw m.map("headers").error(h, "header \"" + h + "\" is reserved");
      }
    }
    for (Map.Entry<String, String> e : external.entrySet()) {
      if (e.getKey().isBlank() || e.getValue().isBlank()) {
        throw m.error("external_labels", "prometheus remote write: external labels configuration contains an "
            + "empty key or value");
      }
    }
    if (createdEnabled) {
      throw created.error("enabled", "not supported yet: export_created_metric");
    }
    if (message.equals(RemoteWriteConfig.WRITE_V2)) {
      throw m.error("protobuf_message", "not supported yet: protobuf_message " + RemoteWriteConfig.WRITE_V2);
    }
    if (!message.equals(RemoteWriteConfig.WRITE_V1)) {
      throw m.error("protobuf_message", "invalid protobuf_message \"" + message + "\" (valid values: "
          + RemoteWriteConfig.WRITE_V1 + ", " + RemoteWriteConfig.WRITE_V2 + ")");
    }
    if (timeout.isNegative()) {
      throw m.error("timeout", "'timeout' must be non-negative");
    }
    if (maxBatch <= 0) {
      throw m.error("max_batch_size_bytes", "max_batch_byte_size must be greater than 0");
    }
    if (queueSize < 0) {
      throw rwq.error("queue_size", "remote write queue size can't be negative");
    }
    if (consumers < 0) {
      throw rwq.error("num_consumers", "remote write consumer number can't be negative");
    }
    if (queueEnabled && queueSize == 0) {
      throw rwq.error("queue_size", "remote write queue size must be positive when the queue is enabled");
    }
    TranslationStrategy strategy = suffixes ? TranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES
        : TranslationStrategy.UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES;
    TranslatorConfig translation = new TranslatorConfig(namespace, strategy, List.of(), promoteAll, List.of(), false,
        false, true, true, targetInfoEnabled, TranslatorConfig.DEFAULT_DELTA_MAX_STREAMS);
    return new Config(url, headers, timeout, external, translation, sendMetadata, maxBatch,
        new QueueSettings(queueEnabled, 1, Math.max(queueSize, 1), false, null), retry);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, Config config, Signal signal) {
    String name = settings.id().toString();
    RemoteWriteConfig rw = new RemoteWriteConfig(config.url(), name, config.timeout().isZero()
        ? RemoteWriteConfig.DEFAULT_REMOTE_TIMEOUT : config.timeout(), config.headers(), null, List.of(), true, false,
        true, false, retrying429(), RemoteWriteConfig.MetadataConfig.DEFAULTS);
    RemoteWriteSender sender = new RemoteWriteSender(new RemoteWriteClient(rw, USER_AGENT));
    OtlpMetricsTranslator translator = new OtlpMetricsTranslator(config.translation());
    AtomicBoolean warnedHistograms = new AtomicBoolean();
    Exporter<Metrics> exporter = new ExporterHelper<Metrics, RemoteWriteRequest>(name,
        settings.host().obsReport().exporter(settings.id(), signal), config.queue(), config.retry(),
        batch -> {
          RemoteWriteRequest r = RemoteWriteRequest.of(batch, translator, config.externalLabels(),
              config.sendMetadata(), config.maxBatchSizeBytes());
          if (r.histogramsLeftOut > 0 && !warnedHistograms.getAndSet(true)) {
            log.atWarn().addKeyValue("exporter", name).log("exponential histograms are not sent yet (remote-write "
                + "1.0 native histograms); they are left out, and this is said once");
          }
          return r;
        },
        r -> r.points, sender, sender);
    return (Exporter<T>) exporter;
  }

  /** The client's queue settings matter only for 429, which this exporter retries. */
  private static RemoteWriteConfig.QueueConfig retrying429() {
    RemoteWriteConfig.QueueConfig d = RemoteWriteConfig.QueueConfig.DEFAULTS;
    return new RemoteWriteConfig.QueueConfig(d.capacity(), d.maxShards(), d.minShards(), d.maxSamplesPerSend(),
        d.batchSendDeadline(), d.minBackoff(), d.maxBackoff(), true, d.sampleAgeLimit());
  }
}

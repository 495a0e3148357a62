package io.sightline.collector.exporter.otlp;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.exporter.client.ClientSettings;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.queue.ExporterHelper;
import io.sightline.collector.queue.QueueSettings;
import io.sightline.collector.queue.RetrySettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Type {@code otlp}: OTLP/gRPC to {@code endpoint}, for all three signals, with the Collector's keys and defaults
 * ({@code timeout} 5s, {@code compression} gzip, the exporterhelper's queue and retries).
 */
public final class OtlpExporterFactory implements ExporterFactory<OtlpExporterFactory.Config> {
  private static final Logger log = LoggerFactory.getLogger(OtlpExporterFactory.class);
  /** The exporterhelper's default bound on one attempt. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** @param target {@code host:port} to dial */
  public record Config(String target, ClientSettings client) {}

  @Override
  public String type() {
    return "otlp";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public Config parseConfig(ConfigMap m) {
    String endpoint = m.string("endpoint", "").strip();
    ClientSettings client = ClientSettings.parse(m, DEFAULT_TIMEOUT, QueueSettings.DEFAULTS, RetrySettings.DEFAULTS);
    m.bool("wait_for_ready", false); // one endpoint, dialled lazily: a call waits for its connection either way
    String balancer = m.string("balancer_name", "round_robin");
    m.notSupportedYet("keepalive", "authority", "read_buffer_size", "write_buffer_size");
    m.finish();
    if (!balancer.equals("round_robin") && !balancer.equals("pick_first")) {
      throw m.error("balancer_name", "invalid balancer_name: " + balancer);
    }
    if (endpoint.isEmpty()) {
      throw m.error("endpoint", "requires a non-empty \"endpoint\"");
    }
    String lower = endpoint.toLowerCase(Locale.ROOT);
    boolean plain = client.insecure();
    String target = endpoint;
    if (lower.startsWith("http://")) {
      plain = true;
      target = endpoint.substring("http://".length());
    } else if (lower.startsWith("https://")) {
      plain = false;
      target = endpoint.substring("https://".length());
    } else if (lower.startsWith("dns:///")) {
      target = endpoint.substring("dns:///".length());
    }
    int slash = target.indexOf('/');
    String ignoredPath = "";
    if (slash >= 0) {
      // A gRPC target has no path; the Collector takes such a config (and then fails to dial), Sightline dials the
      // host and port and says that the path is ignored.
      ignoredPath = target.substring(slash);
      target = target.substring(0, slash);
    }
    if (!plain) {
      throw m.error("endpoint", ClientSettings.tlsNotSupported(endpoint));
    }
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || !target.substring(colon + 1).chars().allMatch(Character::isDigit)
        || colon == target.length() - 1) {
      throw m.error("endpoint", "invalid endpoint \"" + endpoint + "\": expected host:port");
    }
    if (!ignoredPath.isEmpty() && !ignoredPath.equals("/")) {
      log.atWarn().addKeyValue("endpoint", endpoint).log("an OTLP/gRPC endpoint has no path: \"" + ignoredPath
          + "\" is ignored (OTLP/HTTP, with a path, is the otlphttp exporter)");
    }
    return new Config(target, client);
  }

  @Override
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, Config config, Signal signal) {
    String name = settings.id().toString();
    OtlpGrpcSender<T> sender = new OtlpGrpcSender<>(name, config.target(), config.client(), signal);
    ExporterHelper<T, T> exporter = ExporterHelper.of(name,
        settings.host().obsReport().exporter(settings.id(), signal), config.client().queue(), config.client().retry(),
        sender, sender);
    if (config.client().queue().storage() != null) {
      exporter.withStorage(QueueSettings.directory(settings.host().dataDir(), settings.id(), signal),
          OtlpBodies.codec(signal));
    }
    return exporter;
  }
}

package io.sightline.collector.exporter.otlphttp;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.exporter.client.ClientSettings;
import io.sightline.collector.exporter.otlp.OtlpBodies;
import io.sightline.collector.pipeline.ComponentSettings;
import io.sightline.collector.pipeline.Exporter;
import io.sightline.collector.pipeline.ExporterFactory;
import io.sightline.collector.pipeline.Signal;
import io.sightline.collector.pipeline.Telemetry;
import io.sightline.collector.queue.ExporterHelper;
import io.sightline.collector.queue.QueueSettings;
import io.sightline.collector.queue.RetrySettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Type {@code otlphttp}: OTLP/HTTP to {@code endpoint} + {@code /v1/traces} (and so on) or to the per-signal
 * {@code traces_endpoint}, {@code metrics_endpoint}, {@code logs_endpoint}, with the Collector's keys and defaults
 * ({@code encoding} proto, {@code compression} gzip, {@code timeout} 30s, the exporterhelper's queue and retries).
 */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterFactory.Config> {
  /** confighttp's client timeout, which the otlphttp exporter keeps as its default. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The URL of each signal, and whether bodies are OTLP/JSON. */
  public record Config(Map<Signal, URI> urls, boolean json, ClientSettings client) {
    public Config {
      urls = Map.copyOf(urls);
    }
  }

  @Override
  public String type() {
    return "otlphttp";
  }

  @Override
  public Set<Signal> signals() {
    return EnumSet.allOf(Signal.class);
  }

  @Override
  public Config parseConfig(ConfigMap m) {
    String endpoint = m.string("endpoint", "").strip();
    Map<Signal, String> perSignal = new EnumMap<>(Signal.class);
    for (Signal s : Signal.values()) {
      perSignal.put(s, m.string(s.configName() + "_endpoint", "").strip());
    }
    String encoding = m.string("encoding", "proto");
    ClientSettings client = ClientSettings.parse(m, DEFAULT_TIMEOUT, QueueSettings.DEFAULTS, RetrySettings.DEFAULTS);
    m.notSupportedYet("profiles_endpoint", "read_buffer_size", "write_buffer_size", "max_idle_conns",
        "max_idle_conns_per_host", "max_conns_per_host", "idle_conn_timeout", "disable_keep_alives",
        "http2_read_idle_timeout",
        "http2_ping_timeout", "compression_params");
    m.finish();
    boolean json = switch (encoding) {
      case "proto" -> false;
      case "json" -> true;
      default -> throw m.error("encoding", "invalid encoding type: " + encoding);
    };
    if (endpoint.isEmpty() && perSignal.values().stream().anyMatch(String::isEmpty)) {
      // The Collector checks only that some endpoint is set, then fails at runtime for the signals without one.
      if (perSignal.values().stream().allMatch(String::isEmpty)) {
        throw m.error("endpoint", "at least one endpoint must be specified");
      }
    }
    Map<Signal, URI> urls = new EnumMap<>(Signal.class);
    for (Signal s : Signal.values()) {
      String own = perSignal.get(s);
      String key = own.isEmpty() ? "endpoint" : s.configName() + "_endpoint";
      String text = own.isEmpty() ? joined(endpoint, s) : own;
      if (text == null) {
        continue;
      }
      urls.put(s, url(m, key, text));
    }
    return new Config(urls, json, client);
  }

  /** {@code endpoint} with the signal's path appended, as the Collector joins them; null without an endpoint. */
  private static String joined(String endpoint, Signal s) {
    if (endpoint.isEmpty()) {
      return null;
    }
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return base + "/v1/" + s.configName();
  }

  private static URI url(ConfigMap m, String key, String text) {
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw m.error(key, "invalid endpoint \"" + text + "\": " + e.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      throw m.error(key, ClientSettings.tlsNotSupported(text));
    }
    if (!scheme.equals("http") || u.getHost() == null) {
      throw m.error(key, "invalid endpoint \"" + text + "\": must be a valid http URL (http://host:port/path)");
    }
    return u;
  }

  @Override
  public <T extends Telemetry> Exporter<T> create(ComponentSettings settings, Config config, Signal signal) {
    String name = settings.id().toString();
    URI url = config.urls().get(signal);
    if (url == null) {
      throw new IllegalArgumentException("exporter " + name + " has no endpoint for " + signal.configName()
          + " (set endpoint or " + signal.configName() + "_endpoint)");
    }
    OtlpHttpSender<T> sender = new OtlpHttpSender<>(name, url, signal, config.client(), config.json());
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

package io.sightline.collector.exporter.client;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.ConfigNode;
import io.sightline.collector.config.ConfigScalar;
import io.sightline.collector.queue.QueueSettings;
import io.sightline.collector.queue.RetrySettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys a push exporter shares with every other, read from its config section.
 *
 * @param insecure {@code tls.insecure}: plain HTTP/1.1 or h2c. TLS itself is not supported yet, so a config that
 *     would need it is refused
 * @param headers sent with every request
 * @param gzip {@code compression: gzip} (the default) rather than {@code none}
 * @param timeout the bound on one attempt
 */
public record ClientSettings(boolean insecure, Map<String, String> headers, boolean gzip, Duration timeout,
    QueueSettings queue, RetrySettings retry) {

  public ClientSettings {
    headers = Map.copyOf(headers);
  }

  /**
   * Reads {@code tls}, {@code headers}, {@code compression}, {@code timeout}, {@code sending_queue} and
   * {@code retry_on_failure} of {@code m}; the caller reads the rest and calls {@link ConfigMap#finish}.
   */
  public static ClientSettings parse(ConfigMap m, Duration defaultTimeout, QueueSettings queueDefaults,
      RetrySettings retryDefaults) {
    boolean insecure = insecure(m.map("tls"));
    Map<String, String> headers = headers(m.map("headers"));
    String compression = m.string("compression", "gzip");
    boolean gzip = switch (compression) {
      case "gzip" -> true;
      case "none", "" -> false;
      case "zstd", "snappy", "deflate", "zlib", "lz4", "x-snappy-framed" ->
          throw m.error("compression", "not supported yet: compression \"" + compression + "\" (gzip or none)");
      default -> throw m.error("compression", "unsupported compression type \"" + compression + "\"");
    };
    Duration timeout = m.duration("timeout", defaultTimeout);
    if (timeout.isNegative()) {
      throw m.error("timeout", "'timeout' must be non-negative");
    }
    QueueSettings queue = QueueSettings.parse(m.map("sending_queue"), queueDefaults);
    RetrySettings retry = RetrySettings.parse(m.map("retry_on_failure"), retryDefaults);
    m.notSupportedYet("auth", "proxy_url", "cookies");
    return new ClientSettings(insecure, headers, gzip, timeout, queue, retry);
  }

  /** The message a config gets when its endpoint needs TLS. */
  public static String tlsNotSupported(String endpoint) {
    return "not supported yet: TLS to \"" + endpoint + "\" (use an http:// endpoint, or tls.insecure: true for "
        + "plain text)";
  }

  /** {@code tls.insecure}; every other TLS key is refused, as TLS is not supported yet. */
  public static boolean insecure(ConfigMap tls) {
    boolean insecure = tls.bool("insecure", false);
    tls.notSupportedYet("insecure_skip_verify", "ca_file", "ca_pem", "cert_file", "cert_pem", "key_file", "key_pem",
        "server_name_override", "min_version", "max_version", "cipher_suites", "reload_interval",
        "include_system_ca_certs_pool", "curve_preferences");
    tls.finish();
    return insecure;
  }

  /** A {@code headers} map: names to string values. */
  public static Map<String, String> headers(ConfigMap m) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
      if (!(e.getValue() instanceof ConfigScalar s) || s.isNull()) {
        throw m.error(e.getKey(), "expected a header value, got " + e.getValue().kind());
      }
      out.put(e.getKey(), m.string(e.getKey(), ""));
    }
    m.finish();
    return out;
  }
}

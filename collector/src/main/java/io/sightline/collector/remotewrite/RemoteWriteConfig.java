package io.sightline.collector.remotewrite;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigList;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.ConfigNode;
import io.sightline.collector.config.ConfigScalar;
import io.sightline.collector.config.HttpAuthorization;
import io.sightline.collector.receiver.prometheus.relabel.RelabelConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code remote_write} entry in Prometheus' shape ({@code config.RemoteWriteConfig} with its inlined HTTP client
 * config), checked with Prometheus' messages. Only remote-write 1.0 ({@code prometheus.WriteRequest}) is sent.
 *
 * @param url where requests are POSTed
 * @param name the queue's name in metrics and logs: the configured one, or six hex digits of a hash of the entry
 * @param remoteTimeout the bound on one request, connection included
 * @param headers sent with every request; none of them may be one the sender sets itself
 * @param authorization the {@code Authorization} header value, or null
 * @param writeRelabelConfigs applied to every series before it is queued; a series they drop is not sent
 * @param sendExemplars whether exemplars are sent at all
 * @param sendNativeHistograms accepted as Prometheus has it; this sender has no native histograms to send
 * @param followRedirects whether a redirect is followed
 * @param enableHttp2 whether HTTP/2 is offered (Prometheus' remote write defaults to HTTP/1.1)
 */
public record RemoteWriteConfig(URI url, String name, Duration remoteTimeout, Map<String, String> headers,
    String authorization, List<RelabelConfig> writeRelabelConfigs, boolean sendExemplars,
    boolean sendNativeHistograms, boolean followRedirects, boolean enableHttp2, QueueConfig queue,
    MetadataConfig metadata) {
  /** Prometheus' default. */
  public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(30);
  public static final String WRITE_V1 = "prometheus.WriteRequest";
  public static final String WRITE_V2 = "io.prometheus.write.v2.Request";
  /**
   * Headers the sender sets itself or the HTTP layer owns, as Prometheus' {@code reservedHeaders};
   * {@code authorization} has its own message.
   */
  static final Set<String> RESERVED_HEADERS = Set.of("host", "content-encoding", "content-length", "content-type",
      "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate",
      "accept-encoding", "x-prometheus-remote-write-version", "x-prometheus-remote-read-version", "x-amz-date",
      "x-amz-security-token", "x-amz-content-sha256");

  public RemoteWriteConfig {
    headers = Map.copyOf(headers);
    writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
  }

  /** With the credentials masked, as Prometheus prints a secret; the unnamed entry's name is a hash of this. */
  @Override
  public String toString() {
    return "RemoteWriteConfig[url=" + redactedUrl() + ", name=" + name + ", remoteTimeout=" + remoteTimeout
        + ", headers=" + headers + ", authorization=" + (authorization == null ? "none" : "<secret>")
        + ", writeRelabelConfigs=" + writeRelabelConfigs + ", sendExemplars=" + sendExemplars
        + ", sendNativeHistograms=" + sendNativeHistograms + ", followRedirects=" + followRedirects
        + ", enableHttp2=" + enableHttp2 + ", queue=" + queue + ", metadata=" + metadata + "]";
  }

  /** The URL as metrics and logs show it: without user information. */
  public String redactedUrl() {
    if (url.getRawUserInfo() == null) {
      return url.toString();
    }
    try {
      return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(),
          url.getFragment()).toString();
    } catch (URISyntaxException e) {
      return url.getScheme() + "://" + url.getHost();
    }
  }

  /**
   * {@code queue_config}, with Prometheus' defaults. Sightline sends from one queue per endpoint, in order, so
   * {@code min_shards} and {@code max_shards} only bound its memory: the queue holds at most
   * {@code capacity × max_shards} samples and exemplars, what Prometheus' shards would hold at most.
   *
   * @param capacity samples each of Prometheus' shards buffers
   * @param maxSamplesPerSend samples and exemplars in one request
   * @param batchSendDeadline the longest a sample waits for a fuller request
   * @param minBackoff the first retry's delay, doubled at every retry
   * @param maxBackoff the longest delay between retries
   * @param retryOnHttp429 whether a 429 is retried (honouring {@code Retry-After}) rather than dropped
   * @param sampleAgeLimit samples older than this when a request is (re)built are dropped; zero means no limit
   */
  public record QueueConfig(int capacity, int maxShards, int minShards, int maxSamplesPerSend,
      Duration batchSendDeadline, Duration minBackoff, Duration maxBackoff, boolean retryOnHttp429,
      Duration sampleAgeLimit) {
    public static final QueueConfig DEFAULTS = new QueueConfig(10_000, 50, 1, 2_000, Duration.ofSeconds(5),
        Duration.ofMillis(30), Duration.ofSeconds(5), false, Duration.ZERO);
    /**
     * The most entries one in-memory queue may be configured to hold: a queued entry costs about 40 bytes, so this is
     * some 4 GiB of heap, far beyond any sane backlog, and keeps the ring's indexes in an int.
     */
    public static final long MAX_QUEUE_LIMIT = 100_000_000;

    /** What the in-memory queue holds at most, samples and exemplars together. */
    public long queueLimit() {
      return (long) capacity * maxShards;
    }

    static QueueConfig parse(ConfigMap m) {
      QueueConfig d = DEFAULTS;
      int capacity = m.intValue("capacity", d.capacity);
      int maxShards = m.intValue("max_shards", d.maxShards);
      int minShards = m.intValue("min_shards", d.minShards);
      int perSend = m.intValue("max_samples_per_send", d.maxSamplesPerSend);
      Duration deadline = m.duration("batch_send_deadline", d.batchSendDeadline);
      Duration minBackoff = m.duration("min_backoff", d.minBackoff);
      Duration maxBackoff = m.duration("max_backoff", d.maxBackoff);
      boolean retry429 = m.bool("retry_on_http_429", d.retryOnHttp429);
      Duration ageLimit = m.duration("sample_age_limit", d.sampleAgeLimit);
      // Prometheus' checks and messages, in its order.
      if (maxShards <= 0) {
        throw m.error("max_shards", "remote write queue max_shards must be positive");
      }
      if (minShards <= 0) {
        throw m.error("min_shards", "remote write queue min_shards must be positive");
      }
      if (minShards > maxShards) {
        throw m.error("min_shards", "remote write queue min_shards must not be greater than max_shards");
      }
      if (perSend <= 0) {
        throw m.error("max_samples_per_send", "remote write queue max_samples_per_send must be positive");
      }
      if (capacity <= 0) {
        throw m.error("capacity", "remote write queue capacity must be positive");
      }
      if ((long) capacity * maxShards > MAX_QUEUE_LIMIT) {
        throw m.error("capacity", "capacity × max_shards is the in-memory queue's bound and must be at most "
            + MAX_QUEUE_LIMIT);
      }
      if (maxBackoff.compareTo(minBackoff) < 0) {
        throw m.error("max_backoff", "remote write queue max_backoff must not be less than min_backoff");
      }
      // Not Prometheus' checks: a zero backoff would retry a failing endpoint in a busy loop, a zero deadline would
      // send every sample alone.
      if (!minBackoff.isPositive()) {
        throw m.error("min_backoff", "remote write queue min_backoff must be positive");
      }
      if (!deadline.isPositive()) {
        throw m.error("batch_send_deadline", "remote write queue batch_send_deadline must be positive");
      }
      if (ageLimit.isNegative()) {
        throw m.error("sample_age_limit", "must not be negative (0 is no limit)");
      }
      m.finish();
      return new QueueConfig(capacity, maxShards, minShards, perSend, deadline, minBackoff, maxBackoff, retry429,
          ageLimit);
    }
  }

  /**
   * {@code metadata_config}: every {@code send_interval} the latest type, help and unit of each metric family go out
   * in requests of their own, as Prometheus sends them with remote-write 1.0.
   */
  public record MetadataConfig(boolean send, Duration sendInterval, int maxSamplesPerSend) {
    public static final MetadataConfig DEFAULTS = new MetadataConfig(true, Duration.ofMinutes(1), 2_000);

    static MetadataConfig parse(ConfigMap m) {
      boolean send = m.bool("send", DEFAULTS.send);
      Duration interval = m.duration("send_interval", DEFAULTS.sendInterval);
      int perSend = m.intValue("max_samples_per_send", DEFAULTS.maxSamplesPerSend);
      if (!interval.isPositive()) {
        throw m.error("send_interval", "must be positive");
      }
      if (perSend <= 0) {
        throw m.error("max_samples_per_send", "must be positive");
      }
      m.finish();
      return new MetadataConfig(send, interval, perSend);
    }
  }

  /**
   * Parses the list under {@code key} of {@code parent}: each entry as {@link #parse}, then Prometheus' checks across
   * entries (names unique, no two identical entries).
   *
   * @param sendExemplarsDefault what {@code send_exemplars} is when absent (Prometheus: false)
   */
  public static List<RemoteWriteConfig> parseList(ConfigMap parent, String key, boolean sendExemplarsDefault) {
    ConfigNode listNode = parent.node(key).orElse(null);
    List<ConfigMap> entries = parent.mapList(key);
    List<RemoteWriteConfig> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigMap m = entries.get(i);
      RemoteWriteConfig c = parse(m, sendExemplarsDefault);
      ConfigNode at = listNode instanceof ConfigList l ? l.items().get(i) : m;
      for (RemoteWriteConfig earlier : out) {
        if (m.has("name") && earlier.name.equals(c.name)) {
          throw m.error("name", "found multiple remote write configs with job name \"" + c.name + "\"");
        }
        if (earlier.equals(c)) {
          throw new ConfigException(at.location(), at.path(),
              "duplicate remote write configs are not allowed, found duplicate for URL: " + c.redactedUrl());
        }
      }
      out.add(c);
    }
    return out;
  }

  /** Parses one entry, unknown keys and Prometheus' keys Sightline does not have yet refused. */
  public static RemoteWriteConfig parse(ConfigMap m, boolean sendExemplarsDefault) {
    String urlText = m.string("url", "");
    if (urlText.isEmpty()) {
      throw new ConfigException(m.location(), m.path(), "url for remote_write is empty");
    }
    URI url;
    try {
      url = new URI(urlText);
    } catch (URISyntaxException e) {
      throw m.error("url", "parse \"" + urlText + "\": " + e.getReason());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw m.error("url", "\"" + urlText + "\" is not an http or https URL");
    }
    Duration timeout = m.duration("remote_timeout", DEFAULT_REMOTE_TIMEOUT);
    if (!timeout.isPositive()) {
      throw m.error("remote_timeout", "must be positive");
    }
    Map<String, String> headers = headers(m.map("headers"));
    List<RelabelConfig> relabel = RelabelConfig.parseList(m, "write_relabel_configs");
    String name = m.string("name", "");
    boolean exemplars = m.bool("send_exemplars", sendExemplarsDefault);
    boolean nativeHistograms = m.bool("send_native_histograms", false);
    String message = m.string("protobuf_message", WRITE_V1);
    if (message.equals(WRITE_V2)) {
      throw m.error("protobuf_message", "not supported yet: protobuf_message " + WRITE_V2
          + " (remote-write 2.0); Sightline sends " + WRITE_V1);
    }
    if (!message.equals(WRITE_V1)) {
      throw m.error("protobuf_message", "invalid protobuf_message value: unknown type for remote write protobuf "
          + "message " + message + ", supported: " + WRITE_V1 + ", " + WRITE_V2);
    }
    String authorization = HttpAuthorization.parse(m);
    boolean follow = m.bool("follow_redirects", true);
    boolean http2 = m.bool("enable_http2", false);
    QueueConfig queue = QueueConfig.parse(m.map("queue_config"));
    MetadataConfig metadata = MetadataConfig.parse(m.map("metadata_config"));
    m.notSupportedYet("tls_config", "oauth2", "sigv4", "azuread", "google_iam", "proxy_url", "no_proxy",
        "proxy_from_environment", "proxy_connect_header", "http_headers", "round_robin_dns",
        "failed_request_logging");
    m.finish();
    RemoteWriteConfig unnamed = new RemoteWriteConfig(url, "", timeout, headers, authorization, relabel, exemplars,
        nativeHistograms, follow, http2, queue, metadata);
    return name.isEmpty() ? unnamed.withName(hashName(unnamed)) : unnamed.withName(name);
  }

  private RemoteWriteConfig withName(String newName) {
    return new RemoteWriteConfig(url, newName, remoteTimeout, headers, authorization, writeRelabelConfigs,
        sendExemplars, sendNativeHistograms, followRedirects, enableHttp2, queue, metadata);
  }

  /** As Prometheus names an unnamed queue: the start of a hash of its whole config. */
  private static String hashName(RemoteWriteConfig c) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> headers(ConfigMap m) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : m.entries().entrySet()) {
      String header = e.getKey();
      if (!(e.getValue() instanceof ConfigScalar s) || s.isNull()) {
        throw m.error(header, "expected a header value, got " + e.getValue().kind());
      }
      String lower = header.strip().toLowerCase(Locale.ROOT);
      // About the header's name: located at the key.
      String at = ConfigNode.child(m.path(), header);
      if (lower.equals("authorization")) {
        throw new ConfigException(m.keyLocation(header), at, "authorization header must be changed via the "
            + "basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter");
      }
      if (RESERVED_HEADERS.contains(lower)) {
        throw new ConfigException(m.keyLocation(header), at, header + " is a reserved header. It must not be changed");
      }
      out.put(header, m.string(header, ""));
    }
    m.finish();
    return out;
  }
}

package io.sightline.collector.receiver.prometheus;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.HttpAuthorization;
import io.sightline.collector.receiver.prometheus.relabel.RelabelConfig;
import io.sightline.core.model.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code scrape_configs}, with Prometheus' names and defaults (those not given come from
 * {@code global}).
 *
 * @param authorization the {@code Authorization} header value, or null
 */
public record ScrapeConfig(String jobName, Duration scrapeInterval, Duration scrapeTimeout, String metricsPath,
    String scheme, Map<String, List<String>> params, boolean honorLabels, boolean honorTimestamps,
    String authorization, List<StaticConfig> staticConfigs, List<FileSdConfig> fileSdConfigs,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> metricRelabelConfigs, long sampleLimit, int labelLimit, int labelNameLengthLimit,
    int labelValueLengthLimit, long bodySizeLimit, boolean enableCompression) {

  /** A group of targets with labels in common. */
  public record StaticConfig(List<String> targets, Labels labels) {}

  /**
   * Files of target groups (JSON or YAML: {@code [{targets: [...], labels: {...}}]}), re-read every
   * {@code refresh_interval}; a {@code *} in the file name matches as a glob.
   */
  public record FileSdConfig(List<String> files, Duration refreshInterval) {
    /** Prometheus' default. */
    static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
  }

  /** Prometheus' global defaults: scrape every minute, time out after ten seconds. */
  public record Global(Duration scrapeInterval, Duration scrapeTimeout) {
    public static final Global DEFAULT = new Global(Duration.ofMinutes(1), Duration.ofSeconds(10));

    public static Global parse(ConfigMap m) {
      Duration interval = m.duration("scrape_interval", DEFAULT.scrapeInterval());
      Duration timeout = m.duration("scrape_timeout", DEFAULT.scrapeTimeout());
      m.notSupportedYet("external_labels", "evaluation_interval", "query_log_file", "scrape_protocols");
      m.finish();
      if (timeout.compareTo(interval) > 0) {
        // As Prometheus: a default timeout longer than the interval is cut to it.
        timeout = m.has("scrape_timeout") ? timeout : interval;
        if (timeout.compareTo(interval) > 0) {
          throw m.error("scrape_timeout", "global scrape timeout greater than scrape interval");
        }
      }
      return new Global(interval, timeout);
    }
  }

  public static ScrapeConfig parse(ConfigMap m, Global global) {
    String job = m.requiredString("job_name");
    if (job.isEmpty()) {
      throw m.error("job_name", "job_name is empty");
    }
    Duration interval = m.duration("scrape_interval", global.scrapeInterval());
    Duration timeout = m.duration("scrape_timeout", m.has("scrape_interval") && global.scrapeTimeout()
        .compareTo(interval) > 0 ? interval : global.scrapeTimeout());
    if (interval.isZero() || interval.isNegative()) {
      throw m.error("scrape_interval", "scrape interval must be positive");
    }
    if (timeout.compareTo(interval) > 0) {
      throw m.error("scrape_timeout", "scrape timeout greater than scrape interval for scrape config with job name \""
          + job + "\"");
    }
    String path = m.string("metrics_path", "/metrics");
    String scheme = m.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw m.error("scheme", "invalid scheme \"" + scheme + "\" (http or https)");
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    ConfigMap p = m.map("params");
    for (String name : p.keys()) {
      params.put(name, List.copyOf(p.stringList(name)));
    }
    p.finish();
    boolean honorLabels = m.bool("honor_labels", false);
    boolean honorTimestamps = m.bool("honor_timestamps", true);
    String authorization = HttpAuthorization.parse(m);
    List<StaticConfig> statics = new ArrayList<>();
    for (ConfigMap sc : m.mapList("static_configs")) {
      Labels.Builder labels = Labels.builder();
      ConfigMap l = sc.map("labels");
      for (String name : l.keys()) {
        labels.set(name, l.string(name, ""));
      }
      l.finish();
      statics.add(new StaticConfig(List.copyOf(sc.stringList("targets")), labels.build()));
      sc.finish();
    }
    List<FileSdConfig> fileSd = new ArrayList<>();
    for (ConfigMap f : m.mapList("file_sd_configs")) {
      List<String> files = f.stringList("files");
      Duration refresh = f.duration("refresh_interval", FileSdConfig.DEFAULT_REFRESH);
      f.finish();
      if (files.isEmpty()) {
        throw f.error("files", "file service discovery config must contain at least one path name");
      }
      if (refresh.isZero() || refresh.isNegative()) {
        throw f.error("refresh_interval", "must be positive");
      }
      for (String file : files) {
        String name = Path.of(file).getFileName().toString();
        if (!name.endsWith(".json") && !name.endsWith(".yml") && !name.endsWith(".yaml")) {
          throw f.error("files", "path name \"" + file + "\" is not valid for file discovery (.json, .yml or .yaml)");
        }
      }
      fileSd.add(new FileSdConfig(List.copyOf(files), refresh));
    }
    List<RelabelConfig> relabel = RelabelConfig.parseList(m, "relabel_configs");
    List<RelabelConfig> metricRelabel = RelabelConfig.parseList(m, "metric_relabel_configs");
    long sampleLimit = nonNegative(m, "sample_limit");
    int labelLimit = (int) nonNegative(m, "label_limit");
    int nameLimit = (int) nonNegative(m, "label_name_length_limit");
    int valueLimit = (int) nonNegative(m, "label_value_length_limit");
    long bodyLimit = m.bytes("body_size_limit", 0);
    boolean compression = m.bool("enable_compression", true);
    m.notSupportedYet("kubernetes_sd_configs", "consul_sd_configs", "dns_sd_configs",
        "http_sd_configs", "ec2_sd_configs", "tls_config", "proxy_url", "oauth2", "scrape_protocols",
        "native_histogram_bucket_limit", "target_limit", "keep_dropped_targets",
        "track_timestamps_staleness", "scrape_classic_histograms", "follow_redirects", "enable_http2");
    m.finish();
    return new ScrapeConfig(job, interval, timeout, path, scheme, params, honorLabels, honorTimestamps,
        authorization, statics, fileSd, relabel, metricRelabel, sampleLimit, labelLimit, nameLimit, valueLimit,
        bodyLimit, compression);
  }

  private static long nonNegative(ConfigMap m, String key) {
    long v = m.longValue(key, 0);
    if (v < 0) {
      throw m.error(key, "must not be negative (0 is no limit)");
    }
    return v;
  }
}

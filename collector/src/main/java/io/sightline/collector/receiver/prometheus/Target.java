package io.sightline.collector.receiver.prometheus;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.receiver.prometheus.relabel.Relabeler;
import io.sightline.core.model.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A target to scrape, from one address of a static config, after relabeling, as Prometheus' {@code PopulateLabels}
 * makes it: the labels before relabeling ({@code discoveredLabels}), the labels every scraped series gets
 * ({@code labels}: no {@code __} names), and where and how often to scrape.
 */
public record Target(Labels discoveredLabels, Labels labels, URI url, Duration interval, Duration timeout,
    ScrapeConfig config) {
  static final String ADDRESS = "__address__";
  static final String SCHEME = "__scheme__";
  static final String METRICS_PATH = "__metrics_path__";
  static final String SCRAPE_INTERVAL = "__scrape_interval__";
  static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
  static final String PARAM_PREFIX = "__param_";

  /** The static targets of a scrape config, minus those relabeling drops. */
  public static List<Target> of(ScrapeConfig config) {
    return of(config, config.staticConfigs());
  }

  /** The targets of {@code groups} under a scrape config, minus those relabeling drops. */
  public static List<Target> of(ScrapeConfig config, List<ScrapeConfig.StaticConfig> groups) {
    List<Target> out = new java.util.ArrayList<>();
    for (ScrapeConfig.StaticConfig group : groups) {
      for (String address : group.targets()) {
        Target t = populate(config, group.labels(), address);
        if (t != null) {
          out.add(t);
        }
      }
    }
    return out;
  }

  static Target populate(ScrapeConfig config, Labels groupLabels, String address) {
    Labels.Builder b = groupLabels.toBuilder().set(ADDRESS, address);
    Labels base = b.build();
    setIfAbsent(b, base, "job", config.jobName());
    setIfAbsent(b, base, SCRAPE_INTERVAL, format(config.scrapeInterval()));
    setIfAbsent(b, base, SCRAPE_TIMEOUT, format(config.scrapeTimeout()));
    setIfAbsent(b, base, METRICS_PATH, config.metricsPath());
    setIfAbsent(b, base, SCHEME, config.scheme());
    config.params().forEach((name, values) -> {
      if (!values.isEmpty()) {
        setIfAbsent(b, base, PARAM_PREFIX + name, values.get(0));
      }
    });
    Labels discovered = b.build();
    Labels relabeled = Relabeler.process(discovered, config.relabelConfigs());
    if (relabeled == null || relabeled.get(ADDRESS).isEmpty()) {
      return null;
    }
    Duration interval = ConfigMap.parseDuration(relabeled.get(SCRAPE_INTERVAL));
    Duration timeout = ConfigMap.parseDuration(relabeled.get(SCRAPE_TIMEOUT));
    if (interval == null || interval.isZero() || timeout == null || timeout.compareTo(interval) > 0) {
      return null; // Prometheus drops such a target with an error; the relabeling produced it
    }
    Labels.Builder visible = Labels.builder();
    relabeled.forEach((name, value) -> {
      if (!name.startsWith("__")) {
        visible.set(name, value);
      }
    });
    if (relabeled.get("instance").isEmpty()) {
      visible.set("instance", relabeled.get(ADDRESS));
    }
    return new Target(discovered, visible.build(), url(relabeled, config), interval, timeout, config);
  }

  private static void setIfAbsent(Labels.Builder b, Labels base, String name, String value) {
    if (base.get(name).isEmpty()) {
      b.set(name, value);
    }
  }

  /** {@code __param_x} labels override the config's {@code params}, first value only, as in Prometheus. */
  private static URI url(Labels l, ScrapeConfig config) {
    Map<String, List<String>> params = new LinkedHashMap<>(config.params());
    l.forEach((name, value) -> {
      if (name.startsWith(PARAM_PREFIX)) {
        String p = name.substring(PARAM_PREFIX.length());
        List<String> values = new java.util.ArrayList<>(params.getOrDefault(p, List.of()));
        if (values.isEmpty()) {
          values.add(value);
        } else {
          values.set(0, value);
        }
        params.put(p, values);
      }
    });
    StringBuilder query = new StringBuilder();
    params.forEach((name, values) -> values.forEach(v -> query.append(query.isEmpty() ? "" : "&")
        .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
    String path = l.get(METRICS_PATH);
    return URI.create(l.get(SCHEME) + "://" + l.get(ADDRESS) + (path.startsWith("/") ? path : "/" + path)
        + (query.isEmpty() ? "" : "?" + query));
  }

  static String format(Duration d) {
    return io.sightline.core.model.Durations.format(d.toMillis());
  }
}

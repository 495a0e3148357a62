package io.sightline.collector.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.core.model.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeConfigTest {
  private static ScrapeManager parse(String yaml) {
    ConfigMap root = new YamlConfigLoader(k -> null).parse("sightline.yaml", yaml);
    return ScrapeManager.parse(root.map("scrape"));
  }

  @Test
  void targetsGetPrometheusDefaultsAndRelabeledLabels() {
    ScrapeManager m = parse("""
        scrape:
          global: {scrape_interval: 15s}
          scrape_configs:
            - job_name: node
              params: {module: [http_2xx, other]}
              static_configs:
                - targets: ["a:9100", "b:9100"]
                  labels: {env: prod}
              relabel_configs:
                - source_labels: [__address__]
                  regex: "b:.*"
                  action: drop
                - source_labels: [__address__]
                  target_label: __param_target
                - target_label: __address__
                  replacement: blackbox:9115
        """);
    ScrapeConfig c = m.configs().get(0);
    assertThat(c.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    List<Target> targets = Target.of(c);
    assertThat(targets).hasSize(1);
    Target t = targets.get(0);
    // The probe pattern: the address moves to a parameter, the instance keeps the address it was given.
    assertThat(t.url().toString()).isEqualTo("http://blackbox:9115/metrics?module=http_2xx&module=other&target=a%3A9100");
    assertThat(t.labels()).isEqualTo(Labels.of("env", "prod", "instance", "blackbox:9115", "job", "node"));
    assertThat(t.discoveredLabels().get("__scrape_interval__")).isEqualTo("15s");
    assertThat(t.discoveredLabels().get("__param_module")).isEqualTo("http_2xx");
  }

  @Test
  void prometheusDurationsPrintAsPrometheusPrintsThem() {
    assertThat(Target.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(Target.format(Duration.ofDays(8))).isEqualTo("8d");
    assertThat(Target.format(Duration.ofDays(14))).isEqualTo("2w");
    assertThat(Target.format(Duration.ofMillis(100))).isEqualTo("100ms");
  }

  @Test
  void compressionIsAskedForUnlessTurnedOff() {
    List<ScrapeConfig> configs = parse("""
        scrape:
          scrape_configs:
            - job_name: a
            - job_name: b
              enable_compression: false
        """).configs();
    assertThat(configs.get(0).enableCompression()).isTrue();
    assertThat(configs.get(1).enableCompression()).isFalse();
  }

  @Test
  void aShortIntervalShortensTheDefaultTimeout() {
    ScrapeConfig c = parse("""
        scrape:
          scrape_configs:
            - job_name: fast
              scrape_interval: 2s
        """).configs().get(0);
    assertThat(c.scrapeTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void badConfigsAreRefusedWithTheirLocation() {
    assertThatThrownBy(() -> parse("""
        scrape:
          scrape_configs:
            - job_name: a
              scrape_interval: 5s
              scrape_timeout: 10s
        """)).hasMessageContaining("sightline.yaml:5:")
        .hasMessageContaining("scrape timeout greater than scrape interval for scrape config with job name \"a\"");
    assertThatThrownBy(() -> parse("""
        scrape:
          scrape_configs:
            - job_name: a
            - job_name: a
        """)).hasMessageContaining("found multiple scrape configs with job name \"a\"");
    assertThatThrownBy(() -> parse("""
        scrape:
          scrape_configs:
            - job_name: a
              kubernetes_sd_configs: []
        """)).hasMessageContaining("not supported yet: kubernetes_sd_configs");
    assertThatThrownBy(() -> parse("""
        scrape:
          scrape_configs:
            - job_name: a
              scrape_intervl: 5s
        """)).hasMessageContaining("unknown key \"scrape_intervl\"");
    assertThatThrownBy(() -> parse("""
        scrape:
          scrape_configs:
            - job_name: a
              basic_auth: {username: u}
              bearer_token: t
        """)).hasMessageContaining("at most one of basic_auth, authorization, bearer_token");
  }
}

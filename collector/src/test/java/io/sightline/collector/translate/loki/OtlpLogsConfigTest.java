package io.sightline.collector.translate.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.translate.loki.OtlpLogsConfig.Action;
import org.junit.jupiter.api.Test;

class OtlpLogsConfigTest {
  private static OtlpLogsConfig parse(String yaml) {
    return OtlpLogsConfig.parse(new YamlConfigLoader(k -> null).parse("test.yaml", yaml).map("otlp_config"));
  }

  @Test
  void defaults() {
    OtlpLogsConfig c = parse("otlp_config: {}");
    assertThat(c).isEqualTo(OtlpLogsConfig.DEFAULT);
    assertThat(c.resourceAction("service.name")).isEqualTo(Action.INDEX_LABEL);
    assertThat(c.resourceAction("host.name")).isEqualTo(Action.STRUCTURED_METADATA);
    assertThat(c.logAction("anything")).isEqualTo(Action.STRUCTURED_METADATA);
  }

  @Test
  void rulesAsLokiWritesThem() {
    OtlpLogsConfig c = parse("""
        otlp_config:
          default_resource_attributes_as_index_labels: [service.name]
          resource_attributes:
            ignore_defaults: false
            attributes_config:
              - action: index_label
                attributes: [team]
              - action: drop
                regex: process\\..*
          scope_attributes:
            - action: drop
              attributes: [noisy]
          log_attributes:
            - attributes: [user.id]
          severity_text_as_label: true
        """);
    assertThat(c.resourceAction("service.name")).isEqualTo(Action.INDEX_LABEL);
    assertThat(c.resourceAction("k8s.pod.name")).isEqualTo(Action.STRUCTURED_METADATA);
    assertThat(c.resourceAction("team")).isEqualTo(Action.INDEX_LABEL);
    assertThat(c.resourceAction("process.pid")).isEqualTo(Action.DROP);
    assertThat(c.resourceAction("xprocess.pid")).isEqualTo(Action.STRUCTURED_METADATA); // anchored
    assertThat(c.scopeAction("noisy")).isEqualTo(Action.DROP);
    assertThat(c.logAction("user.id")).isEqualTo(Action.STRUCTURED_METADATA);
    assertThat(c.severityTextAsLabel()).isTrue();
  }

  @Test
  void refusesWhatLokiRefuses() {
    assertThatThrownBy(() -> parse("otlp_config: {log_attributes: [{action: keep, attributes: [a]}]}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unsupported action, it must be one of: drop, index_label, structured_metadata");
    assertThatThrownBy(() -> parse("otlp_config: {log_attributes: [{action: drop}]}"))
        .hasMessageContaining("attributes or regex must be set");
    assertThatThrownBy(() -> parse("otlp_config: {log_attributes: [{action: drop, attributes: [a], regex: b}]}"))
        .hasMessageContaining("only one of attributes or regex must be set");
    assertThatThrownBy(() -> parse("otlp_config: {scope_attributes: [{action: index_label, attributes: [a]}]}"))
        .hasMessageContaining("index_label action is only supported for resource_attributes");
    assertThatThrownBy(() -> parse("otlp_config: {log_attributes: [{action: drop, regex: '('}]}"))
        .hasMessageContaining("invalid regex");
    assertThatThrownBy(() -> parse("otlp_config: {severity_text_as_labels: true}"))
        .hasMessageContaining("unknown key \"severity_text_as_labels\"");
  }
}

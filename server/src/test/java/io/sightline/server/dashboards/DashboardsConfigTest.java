package io.sightline.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.server.config.ConfigSources;
import io.sightline.server.config.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ui.dashboards.path}: off by default, a path when set, and a misspelt key fails the start. */
class DashboardsConfigTest {
  private static ServerConfig parse(String yaml) {
    YamlConfigLoader loader = new YamlConfigLoader(k -> null);
    return ServerConfig.parse(ConfigSources.layer(ConfigSources.defaults(), loader.parse("test.yaml", yaml)));
  }

  @Test
  void noDirectoryByDefault() {
    assertThat(parse("{}").dashboardsPath()).isNull();
  }

  @Test
  void theDirectoryIsRead() {
    assertThat(parse("ui:\n  dashboards:\n    path: /etc/sightline/dashboards\n").dashboardsPath())
        .isEqualTo(Path.of("/etc/sightline/dashboards"));
  }

  @Test
  void aMisspeltKeyIsNamed() {
    assertThatThrownBy(() -> parse("ui:\n  dashboards:\n    paht: x\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ui.dashboards.paht").hasMessageContaining("unknown key");
  }
}

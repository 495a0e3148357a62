package io.sightline.collector.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigYamlTest {
  private final YamlConfigLoader loader = new YamlConfigLoader(k -> null);

  @Test
  void rendersWhatParsesBackToTheSameTreeWithSecretsMasked() {
    String yaml = """
        server:
          http: {endpoint: "0.0.0.0:3000"}
        scrape:
          scrape_configs:
            - job_name: app
              basic_auth: {username: u, password: hunter2}
              static_configs:
                - targets: ["a:1", "b:2"]
                  labels: {note: "has: colon # and hash"}
              relabel_configs: []
        empty: {}
        """;
    String rendered = ConfigYaml.render(loader.parse("in", yaml));
    assertThat(rendered).doesNotContain("hunter2").contains("password: <secret>");
    ConfigMap back = loader.parse("out", rendered);
    ConfigMap job = back.map("scrape").mapList("scrape_configs").get(0);
    assertThat(job.string("job_name", null)).isEqualTo("app");
    assertThat(job.mapList("static_configs").get(0).stringList("targets")).containsExactly("a:1", "b:2");
    assertThat(job.mapList("static_configs").get(0).map("labels").string("note", null))
        .isEqualTo("has: colon # and hash");
    assertThat(back.map("server").map("http").string("endpoint", null)).isEqualTo("0.0.0.0:3000");
    assertThat(back.map("empty").isEmpty()).isTrue();
  }
}

package io.sightline.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlConfigLoaderTest {
  private final YamlConfigLoader loader = new YamlConfigLoader(Map.of("HOME_DIR", "/home/x")::get);

  @Test
  void keepsLinesAndPaths() {
    ConfigMap root = loader.parse("f.yaml", """
        a:
          b:
            - x
            - {c: 3}
        """);
    ConfigMap a = root.map("a");
    ConfigList list = (ConfigList) a.node("b").orElseThrow();
    assertThat(list.items().get(1).path()).isEqualTo("a.b[1]");
    assertThat(((ConfigMap) list.items().get(1)).locationOf("c").toString()).isEqualTo("f.yaml:4:11");
  }

  @Test
  void durationsAsTheCollectorWritesThem() {
    assertThat(ConfigMap.parseDuration("200ms")).isEqualTo(Duration.ofMillis(200));
    assertThat(ConfigMap.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ConfigMap.parseDuration("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ConfigMap.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(ConfigMap.parseDuration("5")).isNull();
    assertThat(ConfigMap.parseDuration("5x")).isNull();
    assertThat(ConfigMap.parseDuration("")).isNull();
  }

  @Test
  void bytesWithAndWithoutUnits() {
    ConfigMap m = loader.parse("f.yaml", "a: 20971520\nb: 20MiB\nc: 1GB\nd: 512KiB\ne: 2 mib\nf: lots\n");
    assertThat(m.bytes("a", 0)).isEqualTo(20 * 1024 * 1024);
    assertThat(m.bytes("b", 0)).isEqualTo(20 * 1024 * 1024);
    assertThat(m.bytes("c", 0)).isEqualTo(1_000_000_000L);
    assertThat(m.bytes("d", 0)).isEqualTo(512 * 1024);
    assertThat(m.bytes("e", 0)).isEqualTo(2 * 1024 * 1024);
    assertThatThrownBy(() -> m.bytes("f", 0)).hasMessageContaining("f.yaml:6:4: f: invalid value \"lots\"");
  }

  @Test
  void duplicateKeysAreErrors() {
    assertThatThrownBy(() -> loader.parse("f.yaml", "a: 1\na: 2\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("f.yaml:2:1: a: duplicate key");
  }

  @Test
  void environmentReferences() {
    ConfigMap m = loader.parse("f.yaml", "a: ${env:HOME_DIR}/data\nb: ${HOME_DIR}\nc: ${env:NOPE:-fallback}\n");
    assertThat(m.string("a", null)).isEqualTo("/home/x/data");
    assertThat(m.string("b", null)).isEqualTo("/home/x");
    assertThat(m.string("c", null)).isEqualTo("fallback");
  }

  @Test
  void doubleDollarIsALiteralDollarAsInTheCollector() {
    // How a relabel replacement such as Go's ${name} is written in a config that expands environment variables.
    ConfigMap m = loader.parse("f.yaml", "a: \"$${first}-$$1-$1\"\n");
    assertThat(m.string("a", null)).isEqualTo("${first}-$1-$1");
  }

  @Test
  void mergeMergesMapsAndReplacesTheRest() {
    ConfigMap base = loader.parse("base", "a: {x: 1, y: [1, 2]}\nb: 1\n");
    ConfigMap over = loader.parse("over", "a: {y: [3], z: 4}\n");
    ConfigMap merged = base.mergedWith(over);
    ConfigMap a = merged.map("a");
    assertThat(a.string("x", null)).isEqualTo("1");
    assertThat(a.stringList("y")).containsExactly("3");
    assertThat(a.string("z", null)).isEqualTo("4");
    assertThat(a.locationOf("y").source()).isEqualTo("over");
    assertThat(merged.string("b", null)).isEqualTo("1");
  }

  @Test
  void finishReportsUnreadKeysWithTheValidOnes() {
    ConfigMap m = loader.parse("f.yaml", "p:\n  timeout: 1s\n  sizee: 3\n").map("p");
    m.duration("timeout", Duration.ZERO);
    m.longValue("size", 0);
    assertThatThrownBy(m::finish).hasMessage("f.yaml:3:3: p.sizee: unknown key \"sizee\" (valid keys: timeout, size)");
  }
}

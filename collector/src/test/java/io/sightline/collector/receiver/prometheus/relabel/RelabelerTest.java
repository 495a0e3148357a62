package io.sightline.collector.receiver.prometheus.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.ConfigMap;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.core.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelabelerTest {
  private static List<RelabelConfig> rules(String yaml) {
    ConfigMap root = new YamlConfigLoader(k -> null).parse("test.yaml", "rules:\n" + yaml);
    return RelabelConfig.parseList(root, "rules");
  }

  private static Labels relabel(Labels in, String yaml) {
    return Relabeler.process(in, rules(yaml));
  }

  private static final Labels ABC = Labels.of("a", "foo", "b", "bar", "c", "baz");

  @Test
  void replaceWritesTheExpandedReplacementIntoTheTarget() {
    assertThat(relabel(ABC, """
          - source_labels: [a]
            regex: f(.*)
            target_label: d
            replacement: ch${1}-ch${1}
        """)).isEqualTo(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo"));
    // Several sources joined by the separator; the regex must match the whole value.
    assertThat(relabel(ABC, """
          - source_labels: [a, b]
            separator: "-"
            regex: "f(.*)-b(.*)"
            target_label: d
            replacement: "$1 and $2"
        """).get("d")).isEqualTo("oo and ar");
    assertThat(relabel(ABC, """
          - source_labels: [a]
            regex: o+
            target_label: d
        """)).isEqualTo(ABC);
  }

  @Test
  void expansionFollowsGoRules() {
    // $1x names a group "1x", which does not exist: empty, so the label is deleted.
    assertThat(relabel(ABC, """
          - source_labels: [a]
            regex: (f)(.*)
            target_label: a
            replacement: $1x
        """).get("a")).isEmpty();
    assertThat(relabel(ABC, """
          - source_labels: [a]
            regex: (?P<first>f)(.*)
            target_label: d
            replacement: $${first}$$$$
        """).get("d")).isEqualTo("f$");
    // The target label can be built from groups too; an invalid result leaves the set alone.
    assertThat(relabel(ABC, """
          - source_labels: [a]
            regex: (.*)
            target_label: x_${1}
            replacement: yes
        """).get("x_foo")).isEqualTo("yes");
    assertThat(relabel(Labels.of("a", "1bad"), """
          - source_labels: [a]
            regex: (.*)
            target_label: ${1}
        """)).isEqualTo(Labels.of("a", "1bad"));
  }

  @Test
  void keepAndDropDecideOnTheJoinedValue() {
    assertThat(relabel(ABC, """
          - source_labels: [a]
            regex: f.*
            action: drop
        """)).isNull();
    assertThat(relabel(ABC, """
          - source_labels: [a]
            regex: f
            action: drop
        """)).isEqualTo(ABC);
    assertThat(relabel(ABC, """
          - source_labels: [c]
            regex: ba.
            action: keep
        """)).isEqualTo(ABC);
    assertThat(relabel(ABC, """
          - source_labels: [missing]
            regex: .+
            action: keep
        """)).isNull();
    assertThat(relabel(Labels.of("a", "x", "b", "x"), """
          - source_labels: [a]
            target_label: b
            action: keepequal
        """)).isNotNull();
    assertThat(relabel(Labels.of("a", "x", "b", "x"), """
          - source_labels: [a]
            target_label: b
            action: dropequal
        """)).isNull();
  }

  @Test
  void hashmodTakesTheLastEightBytesOfTheMd5() {
    // Prometheus' own expectation for "baz" modulo 1000.
    assertThat(relabel(ABC, """
          - source_labels: [c]
            target_label: d
            modulus: 1000
            action: hashmod
        """).get("d")).isEqualTo("976");
  }

  @Test
  void labelmapLabeldropLabelkeepWorkOnNames() {
    Labels meta = Labels.of("__meta_kubernetes_pod_label_app", "web", "__meta_kubernetes_pod_label_tier", "front",
        "job", "k");
    assertThat(relabel(meta, """
          - regex: __meta_kubernetes_pod_label_(.+)
            action: labelmap
        """)).isEqualTo(Labels.of("__meta_kubernetes_pod_label_app", "web", "__meta_kubernetes_pod_label_tier",
        "front", "app", "web", "job", "k", "tier", "front"));
    assertThat(relabel(meta, """
          - regex: __meta_.*
            action: labeldrop
        """)).isEqualTo(Labels.of("job", "k"));
    assertThat(relabel(meta, """
          - regex: job
            action: labelkeep
        """)).isEqualTo(Labels.of("job", "k"));
  }

  @Test
  void lowercaseAndUppercase() {
    assertThat(relabel(Labels.of("a", "MiXeD"), """
          - source_labels: [a]
            target_label: lower
            action: lowercase
          - source_labels: [a]
            target_label: upper
            action: uppercase
        """)).isEqualTo(Labels.of("a", "MiXeD", "lower", "mixed", "upper", "MIXED"));
  }

  @Test
  void invalidRulesAreRefusedAtLoadTimeWithPrometheusWording() {
    assertThatThrownBy(() -> rules("""
          - source_labels: [a]
            action: replace
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("relabel configuration for replace action requires 'target_label' value");
    assertThatThrownBy(() -> rules("""
          - source_labels: [a]
            target_label: b
            action: hashmod
        """)).hasMessageContaining("relabel configuration for hashmod requires non-zero modulus");
    assertThatThrownBy(() -> rules("""
          - regex: x
            target_label: b
            action: labeldrop
        """)).hasMessageContaining("labeldrop action requires only 'regex', and no other fields");
    assertThatThrownBy(() -> rules("""
          - action: explode
        """)).hasMessageContaining("unknown relabel action \"explode\"");
    assertThatThrownBy(() -> rules("""
          - regex: "(unclosed"
            action: drop
        """)).hasMessageContaining("invalid regular expression");
    assertThatThrownBy(() -> rules("""
          - source_labels: [a]
            target_label: "1abc"
        """)).hasMessageContaining("\"1abc\" is invalid 'target_label' for replace action");
  }
}

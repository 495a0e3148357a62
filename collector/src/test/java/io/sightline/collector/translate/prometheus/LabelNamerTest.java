package io.sightline.collector.translate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelNamerTest {
  /** Prometheus 3's defaults: underscore sanitization and multiple underscores preserved. */
  private static final LabelNamer PROMETHEUS_DEFAULT = new LabelNamer(false, true, true);
  private static final LabelNamer SPEC = new LabelNamer(false, false, false);

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      http.route          | http_route
      service.instance.id | service_instance_id
      k8s.pod.name        | k8s_pod_name
      0xdeadbeef          | key_0xdeadbeef
      _private            | key_private
      __reserved__        | __reserved__
      __meta              | __meta
      a..b                | a__b
      läuft               | l_uft
      foo-bar/baz         | foo_bar_baz
      """)
  void prometheusDefaults(String attribute, String label) {
    assertThat(PROMETHEUS_DEFAULT.build(attribute)).isEqualTo(label);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      a..b           | a_b
      a__b           | a_b
      _private       | _private
      __x..y__       | __x_y__
      0abc           | key_0abc
      """)
  void specBehaviourCollapsesUnderscores(String attribute, String label) {
    assertThat(SPEC.build(attribute)).isEqualTo(label);
  }

  @Test
  void emptyAndUnderscoreOnlyNamesAreRefused() {
    assertThatThrownBy(() -> PROMETHEUS_DEFAULT.build("")).hasMessage("label name is empty");
    assertThatThrownBy(() -> PROMETHEUS_DEFAULT.build("__")).hasMessageContaining("resulted in invalid name \"__\"");
    assertThatThrownBy(() -> SPEC.build("...")).hasMessageContaining("resulted in invalid name \"_\"");
    assertThat(PROMETHEUS_DEFAULT.build("_")).isEqualTo("key_");
  }

  @Test
  void utf8NamesAreKeptAsTheyAre() {
    LabelNamer utf8 = new LabelNamer(true, true, true);
    assertThat(utf8.build("http.route")).isEqualTo("http.route");
    assertThat(utf8.build("0läuft")).isEqualTo("0läuft");
    assertThatThrownBy(() -> utf8.build("___")).hasMessage("label name \"___\" contains only underscores");
  }
}

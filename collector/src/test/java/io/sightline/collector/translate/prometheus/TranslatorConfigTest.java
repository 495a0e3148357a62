package io.sightline.collector.translate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TranslatorConfigTest {
  private static final YamlConfigLoader LOADER = new YamlConfigLoader(k -> null);

  private static TranslatorConfig parse(String yaml) {
    return TranslatorConfig.parse(LOADER.parse("t.yaml", yaml).map("sightline"));
  }

  @Test
  void defaultsArePrometheus3s() {
    TranslatorConfig c = parse("sightline: {}");
    assertThat(c).isEqualTo(TranslatorConfig.DEFAULT);
    assertThat(c.namespace()).isEmpty();
    assertThat(c.translationStrategy()).isEqualTo(TranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES);
    assertThat(c.promoteScopeMetadata()).isFalse();
    assertThat(c.labelNameUnderscoreSanitization()).isTrue();
    assertThat(c.labelNamePreserveMultipleUnderscores()).isTrue();
    assertThat(c.targetInfoEnabled()).isTrue();
    assertThat(c.promoteAllResourceAttributes()).isFalse();
    assertThat(c.deltaToCumulativeMaxStreams()).isEqualTo(100_000);
  }

  @Test
  void everyKey() {
    TranslatorConfig c = parse("""
        sightline:
          namespace: shop
          translation_strategy: NoUTF8EscapingWithSuffixes
          promote_resource_attributes: [" k8s.pod.name", deployment.environment]
          keep_identifying_resource_attributes: true
          promote_scope_metadata: true
          label_name_underscore_sanitization: false
          label_name_preserve_multiple_underscores: false
          target_info: {enabled: false}
          delta_to_cumulative: {max_streams: 5}
        """);
    assertThat(c).isEqualTo(new TranslatorConfig("shop", TranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES,
        List.of("k8s.pod.name", "deployment.environment"), false, List.of(), true, true, false, false, false, 5));
  }

  @Test
  void resourceToTelemetryConversionPromotesEverything() {
    TranslatorConfig c = parse("sightline: {resource_to_telemetry_conversion: {enabled: true}}");
    assertThat(c.promoteAllResourceAttributes()).isTrue();
    TranslatorConfig d = parse("""
        sightline: {promote_all_resource_attributes: true, ignore_resource_attributes: [host.name]}
        """);
    assertThat(d.promoteAllResourceAttributes()).isTrue();
    assertThat(d.ignoreResourceAttributes()).containsExactly("host.name");
  }

  @Test
  void mistakesAreLocated() {
    assertThatThrownBy(() -> parse("sightline: {namespce: x}")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("sightline.namespce: unknown key \"namespce\"");
    assertThatThrownBy(() -> parse("sightline: {translation_strategy: Underscores}"))
        .hasMessageContaining("sightline.translation_strategy: invalid translation strategy \"Underscores\"");
    assertThatThrownBy(() -> parse("sightline: {target_info: {enabled: maybe}}"))
        .hasMessageContaining("sightline.target_info.enabled: invalid value \"maybe\"");
    assertThatThrownBy(() -> parse("sightline: {target_info: {enable: true}}"))
        .hasMessageContaining("sightline.target_info.enable: unknown key");
    assertThatThrownBy(() -> parse("sightline: {delta_to_cumulative: {max_streams: 0}}"))
        .hasMessageContaining("sightline.delta_to_cumulative.max_streams: must be >= 1");
    assertThatThrownBy(() -> parse("sightline: {promote_resource_attributes: [a, a]}"))
        .hasMessageContaining("duplicated OTel resource attribute \"a\"");
    assertThatThrownBy(() -> parse("sightline: {promote_resource_attributes: [\" \"]}"))
        .hasMessageContaining("empty OTel resource attribute name");
    assertThatThrownBy(() -> parse("""
        sightline: {resource_to_telemetry_conversion: {enabled: true}, promote_resource_attributes: [a]}
        """)).hasMessageContaining("cannot be set together");
    assertThatThrownBy(() -> parse("sightline: {ignore_resource_attributes: [a]}"))
        .hasMessageContaining("needs promote_all_resource_attributes: true");
  }
}

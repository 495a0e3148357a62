package io.sightline.collector.receiver.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.collector.config.ConfigException;
import io.sightline.collector.config.YamlConfigLoader;
import io.sightline.collector.translate.loki.OtlpLogsConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LokiLimitsTest {
  private static LokiLimits parse(String yaml) {
    return LokiLimits.parse(new YamlConfigLoader(k -> null).parse("test.yaml", yaml).map("limits"));
  }

  @Test
  void lokisDefaults() {
    LokiLimits d = parse("limits: {}");
    assertThat(d).isEqualTo(LokiLimits.DEFAULT);
    assertThat(d.ingestionRateBytes()).isEqualTo(4 * 1048576.0);
    assertThat(d.ingestionBurstSizeBytes()).isEqualTo(6 * 1048576L);
    assertThat(d.maxLineSize()).isEqualTo(262144);
    assertThat(d.maxStructuredMetadataSize()).isEqualTo(65536);
    assertThat(d.maxStructuredMetadataEntriesCount()).isEqualTo(128);
    assertThat(d.maxLabelNamesPerSeries()).isEqualTo(15);
    assertThat(d.rejectOldSamplesMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(d.creationGracePeriod()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.discoverServiceName()).startsWith("service", "app", "application");
    assertThat(d.otlpConfig()).isEqualTo(OtlpLogsConfig.DEFAULT);
  }

  @Test
  void everyKey() {
    LokiLimits l = parse("""
        limits:
          ingestion_rate_mb: 8
          ingestion_burst_size_mb: 16
          max_line_size: 1MiB
          max_line_size_truncate: true
          max_line_size_truncate_identifier: "[truncated]"
          max_label_name_length: 100
          max_label_value_length: 200
          max_label_names_per_series: 20
          reject_old_samples: false
          reject_old_samples_max_age: 2w
          creation_grace_period: 1h
          allow_structured_metadata: false
          max_structured_metadata_size: 0
          max_structured_metadata_entries_count: 10
          discover_service_name: []
          discover_log_levels: false
          log_level_fields: [lvl]
          log_level_from_json_max_depth: 0
          increment_duplicate_timestamp: true
          max_decompressed_size: 10MiB
          otlp_config:
            severity_text_as_label: true
        """);
    assertThat(l).isEqualTo(new LokiLimits(8, 16, 1 << 20, true, "[truncated]", 100, 200, 20, false,
        Duration.ofDays(14), Duration.ofHours(1), false, 0, 10, List.of(), false, List.of("lvl"), 0, true, 10 << 20,
        new OtlpLogsConfig(OtlpLogsConfig.DEFAULT_INDEX_LABELS, false, List.of(), List.of(), List.of(), true)));
  }

  @Test
  void invalidValuesAreLocated() {
    assertThatThrownBy(() -> parse("limits: {ingestion_rate_mb: 0}")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.ingestion_rate_mb").hasMessageContaining("must be greater than 0");
    assertThatThrownBy(() -> parse("limits: {max_label_names_per_series: 0}"))
        .hasMessageContaining("must be at least 1");
    assertThatThrownBy(() -> parse("limits: {max_line_size: -1}")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> parse("limits: {max_structured_metadata_entries_count: -1}"))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> parse("limits: {max_lines_size: 1}"))
        .hasMessageContaining("unknown key \"max_lines_size\"");
  }
}

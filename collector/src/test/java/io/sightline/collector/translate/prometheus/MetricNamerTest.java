package io.sightline.collector.translate.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Metric names, with COMPAT.md §8.1's examples and cases from otlptranslator's own tests. */
class MetricNamerTest {
  private static final MetricNamer DEFAULT = new MetricNamer("", TranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES);

  @ParameterizedTest(name = "{0} ({1}, {2}) → {3}")
  @CsvSource(delimiter = '|', textBlock = """
      http.server.request.duration | s           | HISTOGRAM             | http_server_request_duration_seconds
      http.server.active_requests  | {request}   | NON_MONOTONIC_COUNTER | http_server_active_requests
      system.cpu.utilization       | 1           | GAUGE                 | system_cpu_utilization_ratio
      requests.count               | 1           | MONOTONIC_COUNTER     | requests_count_total
      http.server.duration         | s           | GAUGE                 | http_server_duration_seconds
      process.cpu.time.seconds     | s           | MONOTONIC_COUNTER     | process_cpu_time_seconds_total
      network.io                   | By/s        | GAUGE                 | network_io_bytes_per_second
      requests                     | 1/s         | GAUGE                 | requests_per_second
      requests_total               | ''          | MONOTONIC_COUNTER     | requests_total
      total.requests               | ''          | MONOTONIC_COUNTER     | requests_total
      cpu_usage_ratio              | 1           | GAUGE                 | cpu_usage_ratio
      response_time_seconds        | s           | GAUGE                 | response_time_seconds
      items                        | 1           | MONOTONIC_COUNTER     | items_total
      custom_metric                | custom_unit | GAUGE                 | custom_metric_custom_unit
      custom_metric                | {custom}    | GAUGE                 | custom_metric
      my-metric/with spaces        | ms          | GAUGE                 | my_metric_with_spaces_milliseconds
      2xx.responses                | ''          | MONOTONIC_COUNTER     | _2xx_responses_total
      queue.size                   | {item}/s    | GAUGE                 | queue_size_per_second
      memory.usage                 | MiBy        | GAUGE                 | memory_usage_mebibytes
      temperature                  | Cel         | GAUGE                 | temperature_celsius
      uptime                       | d           | GAUGE                 | uptime_days
      disk.space                   | %           | GAUGE                 | disk_space_percent
      active_connections           | ''          | NON_MONOTONIC_COUNTER | active_connections
      a:b.c                        | ''          | GAUGE                 | a:b_c
      """)
  void underscoreEscapingWithSuffixes(String name, String unit, MetricKind kind, String expected) {
    assertThat(DEFAULT.build(name, unit, kind)).isEqualTo(expected);
  }

  @Test
  void longNamesFromOtlptranslatorsTests() {
    assertThat(DEFAULT.build("metric__with__multiple__underscores", "unit__multiple__underscores", MetricKind.GAUGE))
        .isEqualTo("metric_with_multiple_underscores_unit_multiple_underscores");
    assertThat(DEFAULT.build("custom_metric", "unit@with#special/chars", MetricKind.GAUGE))
        .isEqualTo("custom_metric_unit_with_special_per_chars");
  }

  @Test
  void namespaceGoesFirstAndKeepsADigitFromGettingAnUnderscore() {
    MetricNamer namer = new MetricNamer("app", TranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES);
    assertThat(namer.build("requests", "1/s", MetricKind.MONOTONIC_COUNTER)).isEqualTo("app_requests_per_second_total");
    assertThat(namer.build("123_requests", "", MetricKind.MONOTONIC_COUNTER)).isEqualTo("app_123_requests_total");
  }

  @Test
  void withoutSuffixesOnlyReplacesInvalidCharacters() {
    MetricNamer namer = new MetricNamer("", TranslationStrategy.UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES);
    assertThat(namer.build("http.server.duration", "s", MetricKind.HISTOGRAM)).isEqualTo("http_server_duration");
    assertThat(namer.build("requests", "", MetricKind.MONOTONIC_COUNTER)).isEqualTo("requests");
    assertThat(namer.build("metric@@##$$name", "", MetricKind.GAUGE)).isEqualTo("metric_name");
    assertThat(namer.build("keep__double", "", MetricKind.GAUGE)).isEqualTo("keep__double");
    assertThat(namer.build("123metric", "", MetricKind.GAUGE)).isEqualTo("_123metric");
    assertThat(namer.build("___", "", MetricKind.GAUGE)).isEqualTo("___");
    assertThat(new MetricNamer("test@namespace!!??", TranslationStrategy.UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES)
        .build("metric", "", MetricKind.GAUGE)).isEqualTo("test_namespace_metric");
  }

  @Test
  void noUtf8EscapingKeepsTheNameAndAddsSuffixes() {
    MetricNamer namer = new MetricNamer("", TranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES);
    assertThat(namer.build("http.server.duration", "s", MetricKind.HISTOGRAM))
        .isEqualTo("http.server.duration_seconds");
    assertThat(namer.build("requêsts", "1/s", MetricKind.GAUGE)).isEqualTo("requêsts_per_second");
    assertThat(namer.build("cpu_usagé", "1", MetricKind.GAUGE)).isEqualTo("cpu_usagé_ratio");
    assertThat(namer.build("cpu_seconds_total", "s", MetricKind.MONOTONIC_COUNTER)).isEqualTo("cpu_seconds_total");
    assertThat(namer.build("otelcol_process_cpu_seconds", "s", MetricKind.MONOTONIC_COUNTER))
        .isEqualTo("otelcol_process_cpu_seconds_total");
    assertThat(namer.build("@#$%", "", MetricKind.MONOTONIC_COUNTER)).isEqualTo("@#$%_total");
    assertThat(new MetricNamer("ñamespace", TranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES)
        .build("requêsts", "1/s", MetricKind.MONOTONIC_COUNTER)).isEqualTo("ñamespace_requêsts_per_second_total");
  }

  @Test
  void noTranslationKeepsTheNameExactly() {
    MetricNamer namer = new MetricNamer("", TranslationStrategy.NO_TRANSLATION);
    assertThat(namer.build("http.server.duration", "s", MetricKind.HISTOGRAM)).isEqualTo("http.server.duration");
    assertThat(namer.build("requests", "", MetricKind.MONOTONIC_COUNTER)).isEqualTo("requests");
    assertThat(new MetricNamer("test_namespace", TranslationStrategy.NO_TRANSLATION)
        .build("métric_with_ñ_chars", "", MetricKind.GAUGE)).isEqualTo("test_namespace_métric_with_ñ_chars");
  }

  @Test
  void namesWithNothingValidAreRefused() {
    assertThatThrownBy(() -> DEFAULT.build("", "", MetricKind.GAUGE))
        .hasMessage("normalization for metric \"\" resulted in empty name");
    assertThatThrownBy(() -> DEFAULT.build("@#$%", "", MetricKind.GAUGE))
        .hasMessage("normalization for metric \"@#$%\" resulted in empty name");
    assertThatThrownBy(() -> new MetricNamer("", TranslationStrategy.UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES)
        .build("@_#_$_%", "", MetricKind.GAUGE))
        .hasMessage("normalization for metric \"@_#_$_%\" resulted in invalid name \"_____\"");
    assertThatThrownBy(() -> new MetricNamer("", TranslationStrategy.NO_TRANSLATION).build("", "", MetricKind.GAUGE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      s            | seconds
      ms           | milliseconds
      By/s         | bytes_per_second
      1            | ''
      {request}    | ''
      {packets}/s  | per_second
      KiBy         | kibibytes
      custom@unit  | custom_unit
      m/mo         | meters_per_month
      """)
  void unitsInMetadata(String unit, String expected) {
    assertThat(UnitNamer.prometheusUnit(unit)).isEqualTo(expected);
  }

  @Test
  void strategiesHavePrometheusConfigNames() {
    assertThat(TranslationStrategy.fromConfigName("UnderscoreEscapingWithSuffixes"))
        .isEqualTo(TranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES);
    assertThat(TranslationStrategy.fromConfigName("NoUTF8EscapingWithSuffixes"))
        .isEqualTo(TranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES);
    assertThat(TranslationStrategy.fromConfigName("NoTranslation")).isEqualTo(TranslationStrategy.NO_TRANSLATION);
    assertThat(TranslationStrategy.fromConfigName("underscores")).isNull();
  }
}

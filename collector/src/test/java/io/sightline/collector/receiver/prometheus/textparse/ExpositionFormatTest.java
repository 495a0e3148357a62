package io.sightline.collector.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpositionFormatTest {

  @Test
  void openMetricsMediaTypeInAnyCaseWithAnyParametersSelectsOpenMetrics() {
    assertThat(ExpositionFormat.forContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"))
        .isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(ExpositionFormat.forContentType("application/openmetrics-text;version=0.0.1"))
        .isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(ExpositionFormat.forContentType(" Application/OpenMetrics-Text "))
        .isEqualTo(ExpositionFormat.OPENMETRICS);
  }

  @Test
  void everythingElseIsTheClassicTextFormat() {
    assertThat(ExpositionFormat.forContentType("text/plain; version=0.0.4; charset=utf-8"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.forContentType(null)).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.forContentType("")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.forContentType("application/json")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.forContentType("application/openmetrics-textual"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
  }
}

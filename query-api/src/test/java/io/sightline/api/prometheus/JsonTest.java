package io.sightline.api.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void valuesAreFormattedAsGoFormatsThem() {
    assertThat(Json.formatValue(1.0)).isEqualTo("1");
    assertThat(Json.formatValue(0.1)).isEqualTo("0.1");
    assertThat(Json.formatValue(1e21)).isEqualTo("1000000000000000000000");
    assertThat(Json.formatValue(1.5e-7)).isEqualTo("0.00000015");
    assertThat(Json.formatValue(Double.NaN)).isEqualTo("NaN");
    assertThat(Json.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(Json.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(Json.formatValue(-2.5)).isEqualTo("-2.5");
  }

  @Test
  void labelNamesInPathsAreUnescaped() {
    assertThat(PrometheusApi.unescape("U__http_2e_status__code")).isEqualTo("http.status_code");
  }
}

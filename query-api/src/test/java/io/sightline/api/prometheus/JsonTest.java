package io.sightline.api.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Histogram;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void valuesAreFormattedAsGoFormatsThem() {
    assertThat(Json.formatValue(1.0)).isEqualTo("1");
    assertThat(Json.formatValue(0.1)).isEqualTo("0.1");
    // Prometheus' MarshalFloat switches to Go's 'e' format outside [1e-6, 1e21).
    assertThat(Json.formatValue(1e20)).isEqualTo("100000000000000000000");
    assertThat(Json.formatValue(1e21)).isEqualTo("1e+21");
    assertThat(Json.formatValue(0.000001)).isEqualTo("0.000001");
    assertThat(Json.formatValue(1.5e-7)).isEqualTo("1.5e-07");
    assertThat(Json.formatValue(Double.NaN)).isEqualTo("NaN");
    assertThat(Json.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(Json.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(Json.formatValue(-2.5)).isEqualTo("-2.5");
  }

  @Test
  void histogramsAreWrittenAsPrometheusMarshalsThem() throws Exception {
    Histogram h = new Histogram(Histogram.ResetHint.NO, 0, 0.25, 3, 42, 34593.34,
        List.of(new Histogram.Span(-1, 2), new Histogram.Span(1, 1)), new double[] {12, 21, 6}, List.of(), null,
        null);
    java.io.StringWriter out = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
        .createGenerator(out)) {
      Json.point(g, 1435781451781L, h);
    }
    // The example in the comment of Prometheus' MarshalHistogram, bucket for bucket.
    assertThat(out.toString()).isEqualTo("[1435781451.781,{\"count\":\"42\",\"sum\":\"34593.34\",\"buckets\":["
        + "[3,\"-0.25\",\"0.25\",\"3\"],[0,\"0.25\",\"0.5\",\"12\"],[0,\"0.5\",\"1\",\"21\"],"
        + "[0,\"2\",\"4\",\"6\"]]}]");
    java.io.StringWriter empty = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
        .createGenerator(empty)) {
      Json.point(g, 1000, new Histogram(Histogram.ResetHint.UNKNOWN, 0, 0, 0, 0, 0, List.of(), null, List.of(), null,
          null));
    }
    assertThat(empty.toString()).isEqualTo("[1,{\"count\":\"0\",\"sum\":\"0\"}]");
  }

  @Test
  void labelNamesInPathsAreUnescaped() {
    assertThat(PrometheusApi.unescape("U__http_2e_status__code")).isEqualTo("http.status_code");
  }

  @Test
  void timestampsAreSecondsWithTheFewestDecimals() throws Exception {
    long[] ms = {2000, 1500, 1050, 1005, 0, 1_795_560_480_007L, -1500};
    String[] expected = {"2", "1.5", "1.05", "1.005", "0", "1795560480.007", "-1.5"};
    for (int i = 0; i < ms.length; i++) {
      java.io.StringWriter out = new java.io.StringWriter();
      try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
          .createGenerator(out)) {
        Json.timestamp(g, ms[i]);
      }
      assertThat(out.toString()).isEqualTo(expected[i]);
    }
  }
}

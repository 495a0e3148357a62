package io.sightline.collector.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpositionParserTest {
  /** Everything the handler was told, one line of text per call. */
  private static List<String> parse(String body, ExpositionFormat format) throws ExpositionParseException {
    List<String> calls = new ArrayList<>();
    ExpositionParser.parse(body.getBytes(StandardCharsets.UTF_8), format, new ExpositionHandler() {
      @Override
      public void help(String family, String help) {
        calls.add("help " + family + " " + help);
      }

      @Override
      public void type(String family, String type) {
        calls.add("type " + family + " " + type);
      }

      @Override
      public void unit(String family, String unit) {
        calls.add("unit " + family + " " + unit);
      }

      @Override
      public void sample(Labels labels, double value, long timestampMs) {
        calls.add(labels + " " + value + (timestampMs == Long.MIN_VALUE ? "" : " @" + timestampMs));
      }

      @Override
      public void exemplar(Labels labels, double value, long timestampMs) {
        calls.add("exemplar " + labels + " " + value + (timestampMs == Long.MIN_VALUE ? "" : " @" + timestampMs));
      }
    });
    return calls;
  }

  private static List<String> text(String body) throws ExpositionParseException {
    return parse(body, ExpositionFormat.PROMETHEUS_TEXT);
  }

  private static List<String> om(String body) throws ExpositionParseException {
    return parse(body, ExpositionFormat.OPENMETRICS);
  }

  @Test
  void theClassicFormatWithEverythingItAllows() throws Exception {
    assertThat(text("""
        # HELP http_requests_total The total number of HTTP requests.\\nSecond line with \\\\ backslash.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400",} 3 1395066363000

        # A normal comment.
        #  A comment about HELPER and TYPES is not metadata: # HELPER
        msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
        metric_without_timestamp_and_labels 12.47
        	 indented_with_tabs{a="b"}	 -Inf 	
        something_weird{problem="division by zero"} +Inf -3982045
        nan_value NaN
        """)).containsExactly(
        "help http_requests_total The total number of HTTP requests.\nSecond line with \\ backslash.",
        "type http_requests_total counter",
        "http_requests_total{code=\"200\", method=\"post\"} 1027.0 @1395066363000",
        "http_requests_total{code=\"400\", method=\"post\"} 3.0 @1395066363000",
        "msdos_file_access_time_seconds{error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\", path=\"C:\\\\DIR\\\\FILE.TXT\"} 1.458255915E9",
        "metric_without_timestamp_and_labels{} 12.47",
        "indented_with_tabs{a=\"b\"} -Infinity",
        "something_weird{problem=\"division by zero\"} Infinity @-3982045",
        "nan_value{} NaN");
  }

  @Test
  void histogramsSummariesCrlfAndUtf8Names() throws Exception {
    assertThat(text("# TYPE rpc histogram\r\nrpc_bucket{le=\"0.05\"} 24054\r\nrpc_bucket{le=\"+Inf\"} 144320\r\n"
        + "rpc_sum 53423\r\nrpc_count 144320\r\n")).containsExactly("type rpc histogram",
        "rpc_bucket{le=\"0.05\"} 24054.0", "rpc_bucket{le=\"+Inf\"} 144320.0", "rpc_sum{} 53423.0", "rpc_count{} 144320.0");
    assertThat(text("{\"my.dotted.metric\", \"label.with.dots\"=\"v\"} 1\n"))
        .containsExactly("my.dotted.metric{label.with.dots=\"v\"} 1.0");
    assertThat(text("# TYPE x untyped\nx{le=\"0.5\",quantile=\"0.99\"} 1e-3\n"))
        .containsExactly("type x untyped", "x{le=\"0.5\", quantile=\"0.99\"} 0.001");
  }

  @Test
  void openMetricsWithUnitsExemplarsAndSecondTimestamps() throws Exception {
    assertThat(om("""
        # TYPE foo histogram
        # HELP foo Latency \\"of\\" foo.
        # UNIT foo seconds
        foo_bucket{le="0.1"} 8 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 0.05 1700000000.5
        foo_bucket{le="+Inf"} 17 1700000001.25 # {} 1.5
        foo_count 17
        foo_created 1520430000.123
        # TYPE s stateset
        s{s="a"} 1
        # EOF
        """)).containsExactly("type foo histogram", "help foo Latency \"of\" foo.", "unit foo seconds",
        "foo_bucket{le=\"0.1\"} 8.0",
        "exemplar {trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\"} 0.05 @1700000000500",
        "foo_bucket{le=\"+Inf\"} 17.0 @1700000001250", "exemplar {} 1.5", "foo_count{} 17.0",
        "foo_created{} 1.520430000123E9", "type s stateset", "s{s=\"a\"} 1.0");
    assertThat(om("a 1\n# EOF")).containsExactly("a{} 1.0");
  }

  @Test
  void errorsNameTheLine() {
    assertThatThrownBy(() -> text("ok 1\n# TYPE x gauges\n")).isInstanceOf(ExpositionParseException.class)
        .hasMessage("line 2: invalid metric type \"gauges\"");
    assertThatThrownBy(() -> text("a{b=\"c\" 1\n")).hasMessageStartingWith("line 1: expected ',' or '}' after label");
    assertThatThrownBy(() -> text("a{b=c} 1\n")).hasMessageStartingWith("line 1: expected a quoted label value");
    assertThatThrownBy(() -> text("a{1b=\"c\"} 1\n")).hasMessageStartingWith("line 1: expected label name");
    assertThatThrownBy(() -> text("a{b=\"1\",b=\"2\"} 1\n")).hasMessage("line 1: duplicate label name \"b\"");
    assertThatThrownBy(() -> text("a 1 2 3\n")).hasMessageStartingWith("line 1: unexpected \"3\"");
    assertThatThrownBy(() -> text("a 12f\n")).hasMessage("line 1: strconv.ParseFloat: parsing \"12f\": invalid syntax");
    assertThatThrownBy(() -> text("a 1 1.5\n")).hasMessage("line 1: invalid timestamp \"1.5\"");
    assertThatThrownBy(() -> text("\n\n9abc 1\n")).hasMessageStartingWith("line 3: expected a valid start token");
    assertThatThrownBy(() -> text("a\n")).hasMessageStartingWith("line 1: expected a blank before the value");
    assertThatThrownBy(() -> text("a{b=\"\\x\"} 1\n")).hasMessage("line 1: invalid escape sequence \"\\x\"");
    assertThatThrownBy(() -> om("a 1\n")).hasMessage("line 1: data does not end with # EOF");
    assertThatThrownBy(() -> om("# EOF\na 1\n")).hasMessage("line 2: unexpected data after # EOF");
    assertThatThrownBy(() -> om("a 1\n\n# EOF\n")).hasMessage("line 2: unexpected empty line");
    assertThatThrownBy(() -> om("# random comment\n# EOF\n")).hasMessageStartingWith("line 1: invalid metadata line");
    assertThatThrownBy(() -> om("a  1\n# EOF\n")).hasMessage("line 1: expected exactly one space before the value");
    assertThatThrownBy(() -> om("a 1 # {x=\"" + "y".repeat(130) + "\"} 1\n# EOF\n"))
        .hasMessageContaining("exemplar labels have 131 characters");
    assertThatThrownBy(() -> om("a 1 NaN\n# EOF\n")).hasMessage("line 1: invalid timestamp NaN");
  }

  @Test
  void contentTypesChooseTheParser() {
    assertThat(ExpositionFormat.forContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"))
        .isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(ExpositionFormat.forContentType("text/plain; version=0.0.4")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.forContentType(null)).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.forContentType("application/json")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
  }
}

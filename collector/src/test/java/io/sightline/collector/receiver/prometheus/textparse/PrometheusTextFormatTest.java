package io.sightline.collector.receiver.prometheus.textparse;

import static io.sightline.collector.receiver.prometheus.textparse.Recorder.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.Labels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The classic text format as Prometheus' promparse reads it; the inputs follow its promparse_test.go. */
class PrometheusTextFormatTest {

  @Test
  void summaryWithHelpTypeAndTheLabelSpellingsPrometheusAccepts() throws Exception {
    assertThat(text("""
        # HELP rpc_duration_seconds RPC latency summary.
        # \tTYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0"} 3.5e-05
        rpc_duration_seconds{quantile="0.5",} 7.1e-05
        rpc_duration_seconds{quantile="0.9",zone="eu"} 8.25e-05
        rpc_duration_seconds{quantile="0.99", zone="eu"} 9e-05
        rpc_duration_seconds{ quantile="1", zone="eu"} 0.000102
        rpc_duration_seconds_sum 12.5
        rpc_duration_seconds_count 4096
        """)).containsExactly(
        "help rpc_duration_seconds RPC latency summary.",
        "type rpc_duration_seconds summary",
        "rpc_duration_seconds{quantile=\"0.0\"} 3.5E-5",
        "rpc_duration_seconds{quantile=\"0.5\"} 7.1E-5",
        "rpc_duration_seconds{quantile=\"0.9\", zone=\"eu\"} 8.25E-5",
        "rpc_duration_seconds{quantile=\"0.99\", zone=\"eu\"} 9.0E-5",
        "rpc_duration_seconds{quantile=\"1.0\", zone=\"eu\"} 1.02E-4",
        "rpc_duration_seconds_sum{} 12.5",
        "rpc_duration_seconds_count{} 4096.0");
  }

  @Test
  void histogramBucketBoundsAreWrittenAsOpenMetricsFloatsOnlyUnderAHistogramType() throws Exception {
    assertThat(text("""
        # TYPE http_latency_seconds histogram
        http_latency_seconds_bucket{path="/",le="0.05"} 10
        http_latency_seconds_bucket{path="/",le="1"} 20
        http_latency_seconds_bucket{path="/",le="10"} 25
        http_latency_seconds_bucket{path="/",le="1e6"} 26
        http_latency_seconds_bucket{path="/",le="+Inf"} 27
        http_latency_seconds_bucket{path="/",le="soon"} 27
        http_latency_seconds_bucket{path="/",quantile="1"} 27
        http_latency_seconds_sum{path="/"} 31.5
        http_latency_seconds_count{path="/"} 27
        # TYPE requests_total counter
        requests_total{le="10"} 1
        # TYPE odd untyped
        odd{le="1",quantile="1"} 1
        """)).containsExactly(
        "type http_latency_seconds histogram",
        "http_latency_seconds_bucket{le=\"0.05\", path=\"/\"} 10.0",
        "http_latency_seconds_bucket{le=\"1.0\", path=\"/\"} 20.0",
        "http_latency_seconds_bucket{le=\"10.0\", path=\"/\"} 25.0",
        "http_latency_seconds_bucket{le=\"1e+06\", path=\"/\"} 26.0",
        "http_latency_seconds_bucket{le=\"+Inf\", path=\"/\"} 27.0",
        "http_latency_seconds_bucket{le=\"soon\", path=\"/\"} 27.0",
        "http_latency_seconds_bucket{path=\"/\", quantile=\"1\"} 27.0",
        "http_latency_seconds_sum{path=\"/\"} 31.5",
        "http_latency_seconds_count{path=\"/\"} 27.0",
        "type requests_total counter",
        "requests_total{le=\"10\"} 1.0",
        "type odd untyped",
        "odd{le=\"1\", quantile=\"1\"} 1.0");
  }

  @Test
  void theLastTypeLineStillGovernsSamplesOfALaterFamilyWithoutOne() throws Exception {
    // Prometheus' own test keeps this knowingly: the type is not reset when the family changes.
    assertThat(text("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nwind_speed{le=\"2\"} 3\n"))
        .containsExactly("type h histogram", "h_bucket{le=\"1.0\"} 1.0", "wind_speed{le=\"2.0\"} 3.0");
  }

  @Test
  void blanksAreAllowedBetweenAnyTokensAndCommasAreOptional() throws Exception {
    assertThat(text("""
        spaced { quantile = "1.0", a = "b" } 1
        spaced{ quantile= "1.0", a= "b", } 2
        no_comma { quantile="2.0" a="b" } 3
        tabbed{a_b="c"}\t4
          \t indented 5 \t 123123 \t
        some:aggregate:rate5m{a_b="c"} 6
        _leading_underscore 7
        lbl{_leading="x"} 8
        glued{a="b"}9
        """)).containsExactly(
        "spaced{a=\"b\", quantile=\"1.0\"} 1.0",
        "spaced{a=\"b\", quantile=\"1.0\"} 2.0",
        "no_comma{a=\"b\", quantile=\"2.0\"} 3.0",
        "tabbed{a_b=\"c\"} 4.0",
        "indented{} 5.0 @123123",
        "some:aggregate:rate5m{a_b=\"c\"} 6.0",
        "_leading_underscore{} 7.0",
        "lbl{_leading=\"x\"} 8.0",
        "glued{a=\"b\"} 9.0");
  }

  @Test
  void aValueMayFollowTheNameWithoutABlankBecauseTheLexerEndsTheNameThere() throws Exception {
    assertThat(text("a+1\nb-2 5\n")).containsExactly("a{} 1.0", "b{} -2.0 @5");
  }

  @Test
  void commentsAndTheHelpTextsPrometheusReadsFromThem() throws Exception {
    assertThat(text("""
        # Hrandom comment starting like HELP
        #
        #HELP not_help needs a blank after the hash
        # HELPER is no keyword
        # TYPE
        # comment with escaped \\n newline
        # HELP nohelp1
        # HELP nohelp2 \t
        # HELP two_blanks  keeps the second
        # HELP tabbed\ttab separated
        # TYPE some_counter_total counter
        # HELP some_counter_total Help after type.
        # EOF is only a comment here
        some_counter_total 12
        """)).containsExactly(
        "help nohelp1 ",
        "help nohelp2 ",
        "help two_blanks  keeps the second",
        "help tabbed tab separated",
        "type some_counter_total counter",
        "help some_counter_total Help after type.",
        "some_counter_total{} 12.0");
  }

  @Test
  void escapesInHelpAndLabelValuesAndTheOnesThatStayAsWritten() throws Exception {
    Recorder r = Recorder.parse("""
        # HELP esc Backslash \\\\ newline \\n quote \\" other \\x
        esc{path="C:\\\\dir\\\\file.txt",msg="say \\"hi\\"\\nbye",odd="\\x\\q",empty=""} 1
        """, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(r.calls.get(0)).isEqualTo("help esc Backslash \\ newline \n quote \\\" other \\x");
    Labels labels = r.sampleLabels.get(0);
    assertThat(labels.get("path")).isEqualTo("C:\\dir\\file.txt");
    assertThat(labels.get("msg")).isEqualTo("say \"hi\"\nbye");
    assertThat(labels.get("odd")).isEqualTo("\\x\\q");
    assertThat(labels.size()).as("the empty value is no label").isEqualTo(4);
  }

  @Test
  void aQuotedLabelValueMayHoldARawNewlineAndLineNumbersCountIt() {
    Recorder r = new Recorder();
    byte[] body = "a{b=\"x\ny\"} 1\nc{d=\"e\" 1\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT, r))
        .isInstanceOf(ExpositionParseException.class).hasMessageStartingWith("line 3: expected label name, got \"1\"");
    assertThat(r.sampleLabels).containsExactly(Labels.of("__name__", "a", "b", "x\ny"));
  }

  @Test
  void valuesInGoFloatSyntax() throws Exception {
    Recorder r = Recorder.parse("""
        v1 NaN
        v2 +Inf
        v3 -Inf
        v4 Inf
        v5 inf
        v6 -infinity
        v7 -1.5e3
        v8 .5
        v9 5.
        v10 1e-400
        v11 -0
        v12 123456789012345678901234567890
        v13 0.1
        v14 1.7976931348623157e308
        v15 4.9e-324
        """, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(r.values).containsExactly(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1500.0, 0.5, 5.0, 0.0, -0.0,
        1.2345678901234568E29, 0.1, Double.MAX_VALUE, Double.MIN_VALUE);
    assertThat(Double.doubleToRawLongBits(r.values.get(0))).as("Prometheus' normal NaN")
        .isEqualTo(0x7ff8000000000001L);
  }

  @Test
  void timestampsAreIntegerMillisecondsAndOptional() throws Exception {
    assertThat(text("a 1 1395066363000\nb 2\nc 3 0\nd{x=\"y\"} 4 \t9223372036854775807\n")).containsExactly(
        "a{} 1.0 @1395066363000", "b{} 2.0", "c{} 3.0 @0", "d{x=\"y\"} 4.0 @9223372036854775807");
  }

  @Test
  void quotedUtf8MetricAndLabelNamesOfPrometheus3() throws Exception {
    Recorder r = Recorder.parse("""
        # HELP "go.gc_duration_seconds" A summary of the GC invocation durations.
        # \tTYPE "go.gc_duration_seconds" summary
        {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
        {"go.gc_duration_seconds", quantile="0.25",} 7.4e-05
        { "go.gc_duration_seconds", quantile = "1.0", a = "b" } 8.3e-05
        {"go.gc_duration_seconds_count"} 99
        {q="0.9","http.status",a="b"} 1
        {"Heizöl 10€ \\"quoted\\" {x\\ny}","strange©™\\n'q' \\"n\\""="6"} 10.0
        """, ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(r.calls).startsWith("help go.gc_duration_seconds A summary of the GC invocation durations.",
        "type go.gc_duration_seconds summary");
    assertThat(r.sampleLabels).containsExactly(
        Labels.of("__name__", "go.gc_duration_seconds", "quantile", "0.0"),
        Labels.of("__name__", "go.gc_duration_seconds", "quantile", "0.25"),
        Labels.of("__name__", "go.gc_duration_seconds", "quantile", "1.0", "a", "b"),
        Labels.of("__name__", "go.gc_duration_seconds_count"),
        Labels.of("__name__", "http.status", "q", "0.9", "a", "b"),
        Labels.of("__name__", "Heizöl 10€ \"quoted\" {x\ny}", "strange©™\n'q' \"n\"", "6"));
  }

  @Test
  void nulBytesAreKeptInLabelValuesAndHelpAndEndTheBodyAtTheStartOfALine() throws Exception {
    Recorder r = Recorder.parse("# HELP metric foo\0bar\nnull_byte{a=\"abc\0\"} 1\n \0 anything { at all\nnot 2\n",
        ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(r.calls).containsExactly("help metric foo\0bar", "null_byte{a=\"abc\0\"} 1.0");
  }

  @Test
  void theLastLineNeedsNoNewlineAndAnEmptyBodyHasNothing() throws Exception {
    assertThat(text("a 1")).containsExactly("a{} 1.0");
    assertThat(text("a 1 2")).containsExactly("a{} 1.0 @2");
    assertThat(text("")).isEmpty();
    assertThat(text("\n\n  \n\t\n")).isEmpty();
  }

  @Test
  void repeatedNamesAndValuesAreOneStringPerParse() throws Exception {
    Recorder r = Recorder.parse("m{job=\"api\",le=\"0.5\"} 1\nm{job=\"api\",le=\"0.5\"} 2\n",
        ExpositionFormat.PROMETHEUS_TEXT);
    Labels first = r.sampleLabels.get(0);
    Labels second = r.sampleLabels.get(1);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.name(i)).isSameAs(first.name(i));
      assertThat(second.value(i)).isSameAs(first.value(i));
    }
  }
}

package io.sightline.collector.receiver.prometheus.textparse;

import static io.sightline.collector.receiver.prometheus.textparse.Recorder.openMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import org.junit.jupiter.api.Test;

/** OpenMetrics 1.0 text as Prometheus' openmetricsparse reads it; the inputs follow its openmetricsparse_test.go. */
class OpenMetricsFormatTest {

  @Test
  void everyMetricTypeWithUnitsHelpEscapesTimestampsAndExemplars() throws Exception {
    assertThat(openMetrics("""
        # HELP rpc_seconds RPC latency.
        # TYPE rpc_seconds summary
        # UNIT rpc_seconds seconds
        rpc_seconds{quantile="0"} 4.9e-05
        rpc_seconds{quantile="0.5",zone="eu"} 8.1e-05
        # HELP nohelp1\s
        # HELP help2 escape \\ \\n \\\\ \\" \\x chars
        # UNIT nounit\s
        rpc_seconds_count 99
        rpc_seconds_sum 1.5
        rpc_seconds_created 1520430000.123
        ratio:rate5m{a_b="c"} 1
        # TYPE goroutines gauge
        goroutines 33 123.123
        # TYPE hh histogram
        hh_bucket{le="+Inf"} 1 # {id="bucket-ex"} 4
        hh_count 1 # {id="count-ex"} 4
        # TYPE gh gaugehistogram
        gh_bucket{le="1"} 1 # {id="gh-ex",xx="yy"} 4 123.123
        gh_gcount 1
        # TYPE ii info
        ii_info{version="1.2"} 1
        # TYPE ss stateset
        ss{ss="foo"} 1
        ss{ss="bar"} 0
        # TYPE un unknown
        un 1
        # TYPE foo counter
        foo_total 17.0 1520879607.789 # {id="counter-ex"} 5
        foo_created 1520872607.123
        foo_total{le="1"} 10.0
        # TYPE nan summary
        nan{quantile="0.95"} nan
        # EOF
        """)).containsExactly(
        "help rpc_seconds RPC latency.",
        "type rpc_seconds summary",
        "unit rpc_seconds seconds",
        "rpc_seconds{quantile=\"0.0\"} 4.9E-5",
        "rpc_seconds{quantile=\"0.5\", zone=\"eu\"} 8.1E-5",
        "help nohelp1 ",
        "help help2 escape \\ \n \\ \" \\x chars",
        "unit nounit ",
        "rpc_seconds_count{} 99.0",
        "rpc_seconds_sum{} 1.5",
        "rpc_seconds_created{} 1.520430000123E9",
        "ratio:rate5m{a_b=\"c\"} 1.0",
        "type goroutines gauge",
        "goroutines{} 33.0 @123123",
        "type hh histogram",
        "hh_bucket{le=\"+Inf\"} 1.0",
        "exemplar {id=\"bucket-ex\"} 4.0",
        "hh_count{} 1.0",
        "exemplar {id=\"count-ex\"} 4.0",
        "type gh gaugehistogram",
        "gh_bucket{le=\"1\"} 1.0",
        "exemplar {id=\"gh-ex\", xx=\"yy\"} 4.0 @123123",
        "gh_gcount{} 1.0",
        "type ii info",
        "ii_info{version=\"1.2\"} 1.0",
        "type ss stateset",
        "ss{ss=\"foo\"} 1.0",
        "ss{ss=\"bar\"} 0.0",
        "type un unknown",
        "un{} 1.0",
        "type foo counter",
        "foo_total{} 17.0 @1520879607789",
        "exemplar {id=\"counter-ex\"} 5.0",
        "foo_created{} 1.520872607123E9",
        "foo_total{le=\"1\"} 10.0",
        "type nan summary",
        "nan{quantile=\"0.95\"} NaN");
  }

  @Test
  void histogramBucketsNormalizeLeAsInTheTextFormat() throws Exception {
    assertThat(openMetrics("""
        # TYPE req_seconds histogram
        req_seconds_bucket{le="0.0"} 0
        req_seconds_bucket{le="1"} 1
        req_seconds_bucket{le="1e-5"} 1
        req_seconds_bucket{le="+Inf"} 17
        req_seconds_count 17
        req_seconds_sum 324789.3
        req_seconds_created 1520872609.125
        # EOF
        """)).containsExactly(
        "type req_seconds histogram",
        "req_seconds_bucket{le=\"0.0\"} 0.0",
        "req_seconds_bucket{le=\"1.0\"} 1.0",
        "req_seconds_bucket{le=\"1e-05\"} 1.0",
        "req_seconds_bucket{le=\"+Inf\"} 17.0",
        "req_seconds_count{} 17.0",
        "req_seconds_sum{} 324789.3",
        "req_seconds_created{} 1.520872609125E9");
  }

  @Test
  void timestampsAreSecondsTruncatedToMillisecondsAsPrometheusDoes() throws Exception {
    assertThat(openMetrics("""
        a 1 1.5
        a 1 -1.5
        a 1 0.0019
        a 1 1.001
        a 1 1e3
        a 1 0
        a 1 1520879607.789 # {} 2 1.001
        # EOF""")).containsExactly(
        "a{} 1.0 @1500", "a{} 1.0 @-1500", "a{} 1.0 @1", "a{} 1.0 @1000", "a{} 1.0 @1000000", "a{} 1.0 @0",
        "a{} 1.0 @1520879607789", "exemplar {} 2.0 @1000");
  }

  @Test
  void exemplarsWithAndWithoutTimestampsQuotedNamesAndEscapes() throws Exception {
    Recorder r = Recorder.parse("""
        # TYPE c counter
        c_total 1 # {trace_id="4bf92f3577b34da6",span_id="00f067aa0ba902b7"} 0.5
        c_total{a="b"} 2 1700000000 # {trace_id="abc"} 0.25 1700000000.5
        c_total{a="c"} 3 # {} NaN
        quotedexemplar_count 1 # {"id.thing"="histogram-count-test",other="hello"} 4
        escaped_count 1 # {msg="say \\"hi\\"\\n"} 4
        # EOF
        """, ExpositionFormat.OPENMETRICS);
    assertThat(r.calls).containsExactly(
        "type c counter",
        "c_total{} 1.0",
        "exemplar {span_id=\"00f067aa0ba902b7\", trace_id=\"4bf92f3577b34da6\"} 0.5",
        "c_total{a=\"b\"} 2.0 @1700000000000",
        "exemplar {trace_id=\"abc\"} 0.25 @1700000000500",
        "c_total{a=\"c\"} 3.0",
        "exemplar {} NaN",
        "quotedexemplar_count{} 1.0",
        "exemplar {id.thing=\"histogram-count-test\", other=\"hello\"} 4.0",
        "escaped_count{} 1.0",
        "exemplar {msg=\"say \\\"hi\\\"\\n\"} 4.0");
  }

  @Test
  void anExemplarOverOpenMetrics128CharactersIsDroppedAndItsSampleKept() throws Exception {
    // "trace_id" is 8 characters: a value of 120 makes 128, the most allowed; characters, not bytes, are counted.
    String atLimit = "€".repeat(120);
    assertThat(openMetrics("a_total 1 # {trace_id=\"" + atLimit + "\"} 1\n"
        + "a_total 2 # {trace_id=\"" + "x".repeat(121) + "\"} 1\n"
        + "a_total 3 # {trace_id=\"" + "x".repeat(60) + "\",span_id=\"" + "y".repeat(60) + "\"} 1\n"
        + "# EOF\n")).containsExactly(
        "a_total{} 1.0", "exemplar {trace_id=\"" + atLimit + "\"} 1.0",
        "a_total{} 2.0",
        "a_total{} 3.0");
  }

  @Test
  void quotedUtf8NamesAnywhereInTheLabelSet() throws Exception {
    Recorder r = Recorder.parse("""
        # HELP "go.gc_duration_seconds" A summary of the GC invocation durations.
        # TYPE "go.gc_duration_seconds" summary
        # UNIT "go.gc_duration_seconds" seconds
        {"go.gc_duration_seconds",quantile="0"} 4.9351e-05
        {"go.gc_duration_seconds_created"} 1520872607.123
        {q="0.9","http.status",a="b"} 8.3835e-05
        {"Heizöl 10€ \\"quoted\\" {x\\ny}","strange©™\\n'q' \\"n\\""="6"} 10.0
        # EOF
        """, ExpositionFormat.OPENMETRICS);
    assertThat(r.calls).startsWith("help go.gc_duration_seconds A summary of the GC invocation durations.",
        "type go.gc_duration_seconds summary", "unit go.gc_duration_seconds seconds");
    assertThat(r.sampleLabels).containsExactly(
        Labels.of("__name__", "go.gc_duration_seconds", "quantile", "0.0"),
        Labels.of("__name__", "go.gc_duration_seconds_created"),
        Labels.of("__name__", "http.status", "q", "0.9", "a", "b"),
        Labels.of("__name__", "Heizöl 10€ \"quoted\" {x\ny}", "strange©™\n'q' \"n\"", "6"));
  }

  @Test
  void eofMayEndTheBodyWithOrWithoutANewlineAndNulsAreKeptInLabelValuesAndHelp() throws Exception {
    assertThat(openMetrics("# EOF")).isEmpty();
    assertThat(openMetrics("# EOF\n")).isEmpty();
    assertThat(openMetrics("a 1\n# EOF")).containsExactly("a{} 1.0");
    assertThat(openMetrics("# HELP metric foo\0bar\nnull_byte_metric{a=\"abc\0\"} 1\n# EOF\n"))
        .containsExactly("help metric foo\0bar", "null_byte_metric{a=\"abc\0\"} 1.0");
  }

  @Test
  void valuesUseTheSameFloatSyntaxAsTheTextFormat() throws Exception {
    Recorder r = Recorder.parse("a +Inf\na -Inf\na 1.5e-3\na -0.0\na NaN\n# EOF\n", ExpositionFormat.OPENMETRICS);
    assertThat(r.values).containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0015, -0.0, Double.NaN);
  }
}

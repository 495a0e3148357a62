package io.sightline.collector.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way an OpenMetrics body fails, in Prometheus' words with the line number; cases from its parser's tests. */
class OpenMetricsErrorsTest {

  record Case(String body, String message) {
    @Override
    public String toString() {
      return GoQuote.quote(body);
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("", "line 1: data does not end with # EOF"),
        new Case("metric 1", "line 1: data does not end with # EOF"),
        new Case("metric 1\n", "line 2: data does not end with # EOF"),
        new Case("metric_total 1 # {aa=\"bb\"} 4", "line 1: data does not end with # EOF"),
        new Case("metric", "line 1: expected value after metric, got EOF while parsing: \"metric\""),
        new Case("\n", "line 1: expected a valid start token, got \"\\n\" while parsing: \"\\n\""),
        new Case("a 1\n\n# EOF\n", "line 2: expected a valid start token, got \"\\n\" while parsing: \"\\n\""),
        new Case("a\n# EOF\n", "line 1: expected value after metric, got \"\\n\" while parsing: \"a\\n\""),
        new Case(" a 1\n# EOF\n", "line 1: expected a valid start token, got \" \" while parsing: \" \""),
        new Case("9\n# EOF\n", "line 1: expected a valid start token, got \"9\" while parsing: \"9\""),
        new Case("# random comment\n# EOF\n", "line 1: expected a valid start token, got \"#\" while parsing: \"#\""),
        new Case("#  TYPE c counter\n# EOF\n", "line 1: expected a valid start token, got \"#\" while parsing: \"#\""),
        new Case("#\tTYPE c counter\n", "line 1: expected a valid start token, got \"#\" while parsing: \"#\""),
        new Case("# TYPE u untyped\n# EOF\n", "line 1: invalid metric type \"untyped\""),
        new Case("# TYPE c counter \n# EOF\n", "line 1: invalid metric type \"counter \""),
        new Case("# TYPE c  counter\n# EOF\n", "line 1: invalid metric type \" counter\""),
        new Case("# TYPE \n# EOF\n", "line 1: expected metric name after TYPE, got \"\\n\" while parsing: "
            + "\"# TYPE \\n\""),
        new Case("# TYPE m\n# EOF\n", "line 1: expected text in TYPE"),
        new Case("# HELP m\n# EOF\n", "line 1: expected text in HELP"),
        new Case("# UNIT m\n# EOF\n", "line 1: expected text in UNIT"),
        new Case("# HELP m text", "line 1: expected text in HELP"),
        new Case("# UNIT \n# EOF\n", "line 1: expected metric name after UNIT, got \"\\n\" while parsing: "
            + "\"# UNIT \\n\""),
        new Case("# UNIT metric suffix\n# EOF\n", "line 1: unit \"suffix\" not a suffix of metric \"metric\""),
        new Case("# UNIT metricsuffix suffix\n# EOF\n",
            "line 1: unit \"suffix\" not a suffix of metric \"metricsuffix\""),
        new Case("# UNIT m suffix\n# EOF\n", "line 1: unit \"suffix\" not a suffix of metric \"m\""),
        new Case("a\t1\n# EOF\n", "line 1: expected value after metric, got \"\\t\" while parsing: \"a\\t\""),
        new Case("a  1\n# EOF\n", "line 1: expected value after metric, got \" \" while parsing: \"a \""),
        new Case("a {b=\"c\"} 1\n# EOF\n", "line 1: strconv.ParseFloat: parsing \"{b=\\\"c\\\"}\": invalid syntax "
            + "while parsing: \"a {b=\\\"c\\\"}\""),
        new Case("a 1\t2\n# EOF\n", "line 1: strconv.ParseFloat: parsing \"1\\t2\": invalid syntax while parsing: "
            + "\"a 1\\t2\""),
        new Case("a 1 \n# EOF\n", "line 1: expected timestamp or exemplar, got \" \" while parsing: \"a 1 \""),
        new Case("a 1 2 \n# EOF\n", "line 1: expected next entry after timestamp, got \" \" while parsing: "
            + "\"a 1 2 \""),
        new Case("a 1 2 #\n# EOF\n", "line 1: expected next entry after timestamp, got \" \" while parsing: "
            + "\"a 1 2 \""),
        new Case("a 1 1 1\n# EOF\n", "line 1: expected next entry after timestamp, got \" \" while parsing: "
            + "\"a 1 1 \""),
        new Case("a 1 1z\n# EOF\n", "line 1: strconv.ParseFloat: parsing \"1z\": invalid syntax while parsing: "
            + "\"a 1 1z\""),
        new Case("a 1 NaN\n# EOF\n", "line 1: invalid timestamp NaN"),
        new Case("a 1 -Inf\n# EOF\n", "line 1: invalid timestamp -Inf"),
        new Case("a 1 Inf\n# EOF\n", "line 1: invalid timestamp +Inf"),
        new Case("# EOF\na 1", "line 2: unexpected data after # EOF"),
        new Case("# EOF\n\n", "line 2: unexpected data after # EOF"),
        new Case("# EOFa 1", "line 1: unexpected data after # EOF"),
        new Case("# EOF\r\n", "line 1: unexpected data after # EOF"),
        new Case(" # EOF\n", "line 1: expected a valid start token, got \" \" while parsing: \" \""),
        new Case("a 1\r\n# EOF\n", "line 1: strconv.ParseFloat: parsing \"1\\r\": invalid syntax while parsing: "
            + "\"a 1\\r\""),
        new Case("a{b='c'} 1\n# EOF\n", "line 1: expected label value, got \"'c'\" while parsing: \"a{b='c'\""),
        new Case("a{,b=\"c\"} 1\n# EOF\n", "line 1: expected label name, got \",\" while parsing: \"a{,\""),
        new Case("a{b=\"c\"d=\"e\"} 1\n# EOF\n", "line 1: expected comma or brace close, got \"d\" while parsing: "
            + "\"a{b=\\\"c\\\"d\""),
        new Case("a{b=\"c\",,d=\"e\"} 1\n# EOF\n", "line 1: expected label name, got \",\" while parsing: "
            + "\"a{b=\\\"c\\\",,\""),
        new Case("a{b=\"c\", d=\"e\"} 1\n# EOF\n", "line 1: expected label name, got \" \" while parsing: "
            + "\"a{b=\\\"c\\\", \""),
        new Case("a{b =\"c\"} 1\n# EOF\n", "line 1: expected equal, got \" \" while parsing: \"a{b \""),
        new Case("a{b=\n# EOF\n", "line 1: expected label value, got \"\\n\" while parsing: \"a{b=\\n\""),
        new Case("a{b=\"x\ny\"} 1\n# EOF\n", "line 1: expected label value, got \"\\\"x\" while parsing: "
            + "\"a{b=\\\"x\""),
        new Case("{\"a\",\"b = \"c\"}\n# EOF\n", "line 1: expected equal, got \"c\" while parsing: "
            + "\"{\\\"a\\\",\\\"b = \\\"c\""),
        new Case("{\"a\",b\\nc=\"d\"} 1\n# EOF\n", "line 1: expected equal, got \"\\\\nc\" while parsing: "
            + "\"{\\\"a\\\",b\\\\nc\""),
        new Case("something_weird{problem=\"\n# EOF\n", "line 1: expected label value, got \"\\\"\" while parsing: "
            + "\"something_weird{problem=\\\"\""),
        new Case("empty_label_name{=\"\"} 0\n# EOF\n", "line 1: expected label name, got \"=\" while parsing: "
            + "\"empty_label_name{=\""),
        new Case("{A}0\n# EOF\n", "line 1: expected equal, got \"}\" while parsing: \"{A}\""),
        new Case("{b=\"c\",} 1\n# EOF\n", "line 1: metric name not set while parsing: \"{b=\\\"c\\\",}\""),
        new Case("a{b=\"1\",b=\"2\"} 1\n# EOF\n", "line 1: duplicate label name \"b\" while parsing: "
            + "\"a{b=\\\"1\\\",b=\\\"2\\\"\""),
        new Case("foo 1_2\n\n# EOF\n", "line 1: unsupported character in float while parsing: \"foo 1_2\""),
        new Case("foo 0x1p-3\n\n# EOF\n", "line 1: unsupported character in float while parsing: \"foo 0x1p-3\""),
        new Case("foo 0 1_2\n\n# EOF\n", "line 1: unsupported character in float while parsing: \"foo 0 1_2\""),
        new Case("a\0{b=\"ddd\"} 1", "line 1: expected value after metric, got \"\\x00\" while parsing: \"a\\x00\""),
        new Case("a{b\0=\"hiih\"}\t1", "line 1: expected equal, got \"\\x00\" while parsing: \"a{b\\x00\""),
        new Case("a{b=\0\"ssss\"} 1\n# EOF\n", "line 1: expected label value, got \"\\x00\" while parsing: "
            + "\"a{b=\\x00\""),
        new Case("custom_metric_total 1 # {aa=bb}\n# EOF\n", "line 1: expected label value, got \"bb\" while "
            + "parsing: \"custom_metric_total 1 # {aa=bb\""),
        new Case("custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n", "line 1: expected value after exemplar labels, got "
            + "\"\\n\" while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"}\\n\""),
        new Case("custom_metric_total 1 # {aa=\"bb\"}", "line 1: expected value after exemplar labels, got EOF while "
            + "parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"}\""),
        new Case("custom_metric_total 1 # {bb}", "line 1: expected equal, got \"}\" while parsing: "
            + "\"custom_metric_total 1 # {bb}\""),
        new Case("custom_metric_total 1 # {bb, a=\"dd\"}", "line 1: expected equal, got \",\" while parsing: "
            + "\"custom_metric_total 1 # {bb,\""),
        new Case("custom_metric_total 1 # {\"bb\"} 1\n# EOF\n", "line 1: expected label name, got \"}\" while "
            + "parsing: \"custom_metric_total 1 # {\\\"bb\\\"}\""),
        new Case("custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1", "line 1: expected label name, got \",\" while "
            + "parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\",,\""),
        new Case("custom_metric_total 1 # {aa=\"bb\"} 1_2", "line 1: unsupported character in float while parsing: "
            + "\"custom_metric_total 1 # {aa=\\\"bb\\\"} 1_2\""),
        new Case("custom_metric_total 1 # {aa=\"bb\"} true", "line 1: strconv.ParseFloat: parsing \"true\": invalid "
            + "syntax while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"} true\""),
        new Case("custom_metric_total 1 # {aa=\"bb\",cc=}", "line 1: expected label value, got \"}\" while parsing: "
            + "\"custom_metric_total 1 # {aa=\\\"bb\\\",cc=}\""),
        new Case("custom_metric_total 1 # {aa=\"bb\"} 1  2\n# EOF\n", "line 1: expected timestamp or comment, got "
            + "\" \" while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"} 1 \""),
        new Case("custom_metric_total 1 # {aa=\"bb\"} 1 2 3\n# EOF\n", "line 1: expected next entry after exemplar "
            + "timestamp, got \" \" while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\"} 1 2 \""),
        new Case("custom_metric_total 1 # {aa=\"bb\"} 1 2", "line 1: data does not end with # EOF"),
        new Case("custom_metric_total 1 # {aa=\"bb\",aa=\"cc\"} 1\n# EOF\n", "line 1: duplicate label name \"aa\" "
            + "while parsing: \"custom_metric_total 1 # {aa=\\\"bb\\\",aa=\\\"cc\\\"\""),
        new Case("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN",
            "line 2: invalid exemplar timestamp NaN"),
        new Case("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf",
            "line 2: invalid exemplar timestamp -Inf"),
        new Case("custom_metric_total 1 # {b=\"\0ss\"} 1\n# EOF\n", "line 1: expected label value, got "
            + "\"\\\"\\x00ss\\\"\" while parsing: \"custom_metric_total 1 # {b=\\\"\\x00ss\\\"\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithPrometheusMessageAndLineNumber(Case c) {
    assertThatThrownBy(() -> Recorder.openMetrics(c.body())).isInstanceOf(ExpositionParseException.class)
        .hasMessage(c.message());
  }

  @Test
  void helpAndLabelValuesMustBeUtf8() {
    byte[] help = "# HELP a caf\u00e9\n# EOF\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Recorder.parse(help, ExpositionFormat.OPENMETRICS))
        .hasMessage("line 1: help text \"caf\\xe9\" is not a valid utf8 string");
    byte[] value = "a{b=\"\u00ff\"} 1\n# EOF\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Recorder.parse(value, ExpositionFormat.OPENMETRICS))
        .hasMessage("line 1: invalid UTF-8 label value: \"\\\"\\xff\\\"\"");
  }

  @Test
  void aLineWithABadExemplarReportsNothingButTheLinesBeforeItHaveBeenReported() {
    Recorder r = new Recorder();
    byte[] body = "a_total 1\nb_total 2 # {x=y} 1\n# EOF\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ExpositionParser.parse(body, ExpositionFormat.OPENMETRICS, r))
        .hasMessageStartingWith("line 2: expected label value");
    assertThat(r.calls).containsExactly("a_total{} 1.0");
  }

  @Test
  void withoutEofEverySampleIsReportedBeforeTheError() {
    Recorder r = new Recorder();
    byte[] body = "a 1\nb 2\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ExpositionParser.parse(body, ExpositionFormat.OPENMETRICS, r))
        .hasMessage("line 3: data does not end with # EOF");
    assertThat(r.calls).containsExactly("a{} 1.0", "b{} 2.0");
  }
}

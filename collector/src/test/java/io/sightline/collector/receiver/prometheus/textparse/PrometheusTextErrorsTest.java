package io.sightline.collector.receiver.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a classic-format body fails, in Prometheus' words with the line number; cases from promparse_test.go. */
class PrometheusTextErrorsTest {

  record Case(String body, String message) {
    @Override
    public String toString() {
      return GoQuote.quote(body);
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("a", "line 1: expected value after metric, got EOF while parsing: \"a\""),
        new Case("a\n", "line 1: expected value after metric, got \"\\n\" while parsing: \"a\\n\""),
        new Case("a{b='c'} 1\n", "line 1: expected label value, got \"'c'\" while parsing: \"a{b='c'\""),
        new Case("a{b=\n", "line 1: expected label value, got \"\\n\" while parsing: \"a{b=\\n\""),
        new Case("a{b=c} 1\n", "line 1: expected label value, got \"c\" while parsing: \"a{b=c\""),
        new Case("a{\u00ff=\"foo\"} 1\n", "line 1: expected label name, got \"ÿ\" while parsing: \"a{ÿ\""),
        new Case("a{1b=\"c\"} 1\n", "line 1: expected label name, got \"1b\" while parsing: \"a{1b\""),
        new Case("empty_label_name{=\"\"} 0", "line 1: expected label name, got \"=\" while parsing: "
            + "\"empty_label_name{=\""),
        new Case("a{b=\"c\",,d=\"e\"} 1", "line 1: expected label name, got \",\" while parsing: "
            + "\"a{b=\\\"c\\\",,\""),
        new Case("{\"a\", \"b = \"c\"}", "line 1: expected equal, got \"c\" while parsing: "
            + "\"{\\\"a\\\", \\\"b = \\\"c\""),
        new Case("{\"a\",b\\nc=\"d\"} 1", "line 1: expected equal, got \"\\\\nc\" while parsing: "
            + "\"{\\\"a\\\",b\\\\nc\""),
        new Case("{A}0", "line 1: expected equal, got \"}\" while parsing: \"{A}\""),
        new Case("a{b:c=\"d\"} 1", "line 1: expected equal, got \":c\" while parsing: \"a{b:c\""),
        new Case("a{b=\"c\\\n\"} 1", "line 1: expected label value, got \"\\\"c\\\\\" while parsing: "
            + "\"a{b=\\\"c\\\\\""),
        new Case("something_weird{problem=\"", "line 1: expected label value, got \"\\\"\" while parsing: "
            + "\"something_weird{problem=\\\"\""),
        new Case("a true\n", "line 1: strconv.ParseFloat: parsing \"true\": invalid syntax while parsing: \"a true\""),
        new Case("a 12f\n", "line 1: strconv.ParseFloat: parsing \"12f\": invalid syntax while parsing: \"a 12f\""),
        new Case("a +nan\n", "line 1: strconv.ParseFloat: parsing \"+nan\": invalid syntax while parsing: \"a +nan\""),
        new Case("a 1e400\n", "line 1: strconv.ParseFloat: parsing \"1e400\": value out of range while parsing: "
            + "\"a 1e400\""),
        new Case("foo 1_2\n", "line 1: unsupported character in float while parsing: \"foo 1_2\""),
        new Case("foo 0x1p-3\n", "line 1: unsupported character in float while parsing: \"foo 0x1p-3\""),
        new Case("foo 0x1P-3\n", "line 1: unsupported character in float while parsing: \"foo 0x1P-3\""),
        new Case("foo 0x10\n", "line 1: strconv.ParseFloat: parsing \"0x10\": invalid syntax while parsing: "
            + "\"foo 0x10\""),
        new Case("foo 0 1_2\n", "line 1: expected next entry after timestamp, got \"_2\" while parsing: "
            + "\"foo 0 1_2\""),
        new Case("a 1 2 3\n", "line 1: expected next entry after timestamp, got \"3\" while parsing: \"a 1 2 3\""),
        new Case("a 1 1.5\n", "line 1: expected next entry after timestamp, got \".5\" while parsing: \"a 1 1.5\""),
        new Case("a 1 -5\n", "line 1: expected timestamp or new record, got \"-5\" while parsing: \"a 1 -5\""),
        new Case("a 1{\n", "line 1: expected timestamp or new record, got \"{\" while parsing: \"a 1{\""),
        new Case("a 1 99999999999999999999\n", "line 1: strconv.ParseInt: parsing \"99999999999999999999\": "
            + "value out of range while parsing: \"a 1 99999999999999999999\""),
        new Case("a{b=\"c\"}{d=\"e\"} 1\n", "line 1: expected value after metric, got \"{\" while parsing: "
            + "\"a{b=\\\"c\\\"}{\""),
        new Case("a\0{b=\"ddd\"} 1", "line 1: expected value after metric, got \"\\x00\" while parsing: \"a\\x00\""),
        new Case("a{b\0=\"hiih\"}\t1", "line 1: expected equal, got \"\\x00\" while parsing: \"a{b\\x00\""),
        new Case("a 0 1\0", "line 1: expected next entry after timestamp, got \"\\x00\" while parsing: "
            + "\"a 0 1\\x00\""),
        new Case("{a=\"ok\"} 1", "line 1: metric name not set while parsing: \"{a=\\\"ok\\\"} \""),
        new Case("a{\"x\"} 1", "line 1: metric name already set while parsing: \"a{\\\"x\\\"}\""),
        new Case("a{b=\"1\",b=\"2\"} 1", "line 1: duplicate label name \"b\" while parsing: "
            + "\"a{b=\\\"1\\\",b=\\\"2\\\"\""),
        new Case("a{__name__=\"b\"} 1", "line 1: duplicate label name \"__name__\" while parsing: "
            + "\"a{__name__=\\\"b\\\"} \""),
        new Case("# TYPE #\n#EOF\n", "line 1: expected metric name after TYPE, got \"#\" while parsing: \"# TYPE #\""),
        new Case("# HELP #\n#EOF\n", "line 1: expected metric name after HELP, got \"#\" while parsing: \"# HELP #\""),
        new Case("# HELP \n", "line 1: expected metric name after HELP, got \"\\n\" while parsing: \"# HELP \\n\""),
        new Case("ok 1\n# TYPE x gauges\n", "line 2: invalid metric type \"gauges\""),
        new Case("# TYPE x  counter\n", "line 1: invalid metric type \" counter\""),
        new Case("# TYPE x counter \n", "line 1: invalid metric type \"counter \""),
        new Case("# TYPE x unknown\n", "line 1: invalid metric type \"unknown\""),
        new Case("# TYPE x\n", "line 1: invalid metric type \"\""),
        new Case("\n\n9abc 1\n", "line 3: expected a valid start token, got \"9abc\" while parsing: \"9abc\""),
        new Case("ok 1\n\"quoted\" 1\n", "line 2: expected a valid start token, got \"\\\"quoted\\\"\" while parsing: "
            + "\"\\\"quoted\\\"\""),
        // CRLF bodies fail where Prometheus fails them: a carriage return is part of the token before it.
        new Case("a 1\r\n", "line 1: strconv.ParseFloat: parsing \"1\\r\": invalid syntax while parsing: \"a 1\\r\""),
        new Case("a 1 100\r\n", "line 1: expected next entry after timestamp, got \"\\r\" while parsing: "
            + "\"a 1 100\\r\""),
        new Case("# TYPE a counter\r\n", "line 1: invalid metric type \"counter\\r\""),
        new Case("ok 1\n\r\n", "line 2: expected a valid start token, got \"\\r\" while parsing: \"\\r\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithPrometheusMessageAndLineNumber(Case c) {
    assertThatThrownBy(() -> Recorder.text(c.body())).isInstanceOf(ExpositionParseException.class)
        .hasMessage(c.message());
  }

  @Test
  void helpTextMustBeUtf8AsLabelValuesMust() {
    byte[] help = "# HELP a caf\u00e9 \n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Recorder.parse(help, ExpositionFormat.PROMETHEUS_TEXT))
        .hasMessage("line 1: help text \"caf\\xe9 \" is not a valid utf8 string");
    byte[] value = "ok 1\na{b=\"\u00ff\"} 1\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Recorder.parse(value, ExpositionFormat.PROMETHEUS_TEXT))
        .hasMessage("line 2: invalid UTF-8 label value: \"\\\"\\xff\\\"\"");
    byte[] name = "a{\u00ff=\"foo\"} 1\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Recorder.parse(name, ExpositionFormat.PROMETHEUS_TEXT))
        .hasMessage("line 1: expected label name, got \"\\xff\" while parsing: \"a{\\xff\"");
  }

  @Test
  void samplesBeforeTheErrorHaveBeenReportedAndTheExceptionKnowsItsLine() {
    Recorder r = new Recorder();
    byte[] body = "a 1\nb 2\nc{ 3\nd 4\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT, r))
        .isInstanceOfSatisfying(ExpositionParseException.class, e -> assertThat(e.line()).isEqualTo(3));
    assertThat(r.calls).containsExactly("a{} 1.0", "b{} 2.0");
  }

  @Test
  void aVeryLongLineIsShortenedInTheMessage() {
    String body = "a{b=\"" + "x".repeat(10_000) + "\",} 1 z\n";
    assertThatThrownBy(() -> Recorder.text(body)).hasMessageStartingWith("line 1: expected timestamp or new record")
        .hasMessageContaining("…").satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }
}

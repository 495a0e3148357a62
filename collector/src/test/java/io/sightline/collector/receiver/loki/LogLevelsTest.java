package io.sightline.collector.receiver.loki;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.core.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from Loki's {@code field_detection_test.go}. */
class LogLevelsTest {
  private final LogLevels levels = new LogLevels(LokiLimits.DEFAULT_LOG_LEVEL_FIELDS, 2);

  private static StreamLabels stream(String... pairs) {
    return StreamLabels.of(Labels.of(pairs));
  }

  private String detect(String line) {
    return levels.enrich(StreamLabels.EMPTY, Labels.EMPTY, line).get("detected_level");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      this is a warning log                                    | warn
      foo                                                      | unknown
      ^^                                                       | unknown
      debug: something happened                                | debug
      this is a CRITICAL message                               | critical
      [ERR] this is an error message                           | error
      (fatal) something happened                               | fatal
      an trace                                                 | trace
      this is a terror attack                                  | unknown
      there were multiple errors                               | unknown
      error123 occurred                                        | unknown
      2024-01-01T10:00:00Z info request failed -l warning --log-level misc:error | info
      warning: degraded, info follows                          | warn
      component=misc:error [info] processed                    | info
      fooerror [error] message                                 | error
      fooerror errorbar misc:error error_code                  | unknown
      2024/01/01 10:00:00 [warn] 1234#1234: upstream server temporarily disabled | warn
      ^192.168.1.1 - - [01/Jan/2024:10:00:00 +0000] "GET /api/error-handler HTTP/1.1" 500 1234^ | unknown
      2024-01-01 10:00:00.000  INFO 1234 --- [main] com.example.ErrorController : Handling /api/error-resource | info
      ^2024-01-01T10:00:00.000000Z	warn	ads	cluster update: warning threshold exceeded, error_rate=0.05^ | warn
      ^Tue Mar 24 2026 19:49:19 GMT+0000|INFO|Integration|core-api-service^ | info
      event='User logged in' level='info' timestamp='2022-10-13T16:29:27Z' | info
      """)
  void fromTheLinesWords(String line, String level) {
    assertThat(detect(line)).isEqualTo(level);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
      {"foo":"bar","msg":"message with keyword error but it should not get picked up","level":"critical"} | critical
      {"FOO":"bar","MSG":"keyword error","LEVEL":"Critical"}                   | critical
      {"msg":"message with keyword warn","SEVERITY":"FATAL"}                   | fatal
      {"msg":"keyword warn","level":"ERR"}                                     | error
      {"foo":"bar","msg":"message with keyword INFO get picked up"}            | info
      {"a": {"level": "info"}}                                                 | info
      {"a": {"b": {"level": "dbg"}}}                                           | unknown
      {"severity": "error", "level": "info"}                                   | error
      {"arr": [{"level": "debug"}], "level": "info"}                           | info
      {"level": 123, "severity": "warn"}                                       | warn
      {"level": "notice", "msg": "an error"}                                   | error
      ^  {"level": "dbg"}  ^                                                   | debug
      {"foo": "bar", broken json}                                              | unknown
      foo=bar msg="message with info and not level should get picked up"       | info
      foo=bar msg="message with keyword error but it should not get picked up" level=warn | warn
      foo=bar msg="keyword error" level=Trace                                  | trace
      foo=bar msg="message with keyword but it should not get picked up" level=NA | unknown
      Foo=bar MSG="keyword" Severity=critical                                  | critical
      FOO=bar MSG="keyword error" LEVEL=inFO                                   | info
      FOO=bar LEVEL=Information                                                | info
      lvl=debug level=error                                                    | error
      level="warn" msg="quoted"                                                | warn
      level="w\\u0061rn" msg="escaped"                                         | warn
      """)
  void fromJsonAndLogfmtLines(String line, String level) {
    assertThat(detect(line)).isEqualTo(level);
  }

  @Test
  void jsonDepthIsLimited() {
    LogLevels topOnly = new LogLevels(List.of(), 1);
    assertThat(topOnly.fromLine("{\"a\": {\"level\": \"debug\"}, \"level\": \"info\"}")).isEqualTo("info");
    assertThat(topOnly.fromLine("{\"a\": {\"level\": \"debug\"}}")).isEqualTo("debug"); // the word, not the field
    LogLevels unlimited = new LogLevels(List.of(), 0);
    assertThat(unlimited.fromLine("{\"a\": {\"b\": {\"level\": \"dbg\"}}}")).isEqualTo("debug");
    assertThat(unlimited.fromLine("{\"a\": {\"b\": {\"c\": {\"level\": \"warn\"}}}}")).isEqualTo("warn");
  }

  @Test
  void severityNumbersByOtlpsRanges() {
    String[][] cases = {{"0", "unknown"}, {"1", "trace"}, {"4", "trace"}, {"5", "debug"}, {"7", "debug"},
        {"9", "info"}, {"12", "info"}, {"13", "warn"}, {"17", "error"}, {"20", "error"}, {"21", "fatal"},
        {"24", "fatal"}, {"25", "unknown"}, {"foo", "info"}};
    for (String[] c : cases) {
      Labels metadata = Labels.of("severity_number", c[0]);
      assertThat(levels.enrich(StreamLabels.EMPTY, metadata, "error in the line").get("detected_level"))
          .as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void labelsComeFirstThenMetadataThenTheSeverityNumberThenTheLine() {
    Labels metadata = Labels.of("severity_text", "WARNING", "severity_number", "17");
    assertThat(levels.enrich(stream("level", "DEBUG"), metadata, "error").get("detected_level")).isEqualTo("debug");
    assertThat(levels.enrich(StreamLabels.EMPTY, metadata, "error").get("detected_level")).isEqualTo("warn");
    assertThat(levels.enrich(StreamLabels.EMPTY, Labels.of("severity_number", "17"), "info").get("detected_level"))
        .isEqualTo("error");
    // the first field of the list wins in metadata, and an unknown value is kept as it is
    assertThat(levels.enrich(StreamLabels.EMPTY, Labels.of("lvl", "x", "level", "notice"), "error")
        .get("detected_level")).isEqualTo("notice");
  }

  @Test
  void aDetectedLevelPushedAlongIsNormalizedNotReplaced() {
    Labels m = levels.enrich(StreamLabels.EMPTY, Labels.of("detected_level", "WRN", "level", "error"), "info");
    assertThat(m).isEqualTo(Labels.of("detected_level", "warn", "level", "error"));
    Labels kept = Labels.of("detected_level", "custom");
    assertThat(levels.enrich(StreamLabels.EMPTY, kept, "error")).isSameAs(kept);
  }

  @Test
  void customFields() {
    LogLevels custom = new LogLevels(List.of("custom_level", "log_severity"), 2);
    assertThat(custom.fromLine("{\"log_severity\": \"warn\", \"custom_level\": \"error\"}")).isEqualTo("warn");
    assertThat(custom.fromLine("log_severity=warn custom_level=error")).isEqualTo("error");
  }
}

package io.sightline.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.core.model.LabelMatcher;
import org.junit.jupiter.api.Test;

class ParserTest {
  @Test
  void selectorsParse() throws ParseException {
    VectorSelector s = Parser.parseSeriesSelector("http_requests_total{job=\"api\", code=~'5..', method!=`GET`,}");
    assertThat(s.metricName()).isEqualTo("http_requests_total");
    assertThat(s.matchers()).containsExactly(LabelMatcher.equal("__name__", "http_requests_total"),
        LabelMatcher.equal("job", "api"), s.matchers().get(2), LabelMatcher.notEqual("method", "GET"));
    assertThat(s.matchers().get(2).matches("503")).isTrue();
    assertThat(Parser.parseSeriesSelector("{__name__=~\"up|down\"}").matchers()).hasSize(1);
    assertThat(Parser.parseSeriesSelector("job:rate5m:sum").metricName()).isEqualTo("job:rate5m:sum");
    assertThat(Parser.parseSeriesSelector("up{path=\"a\\\"b\\n\"}").matchers().get(1).value()).isEqualTo("a\"b\n");
    assertThat(Parser.parseSeriesSelector("  up # comment\n").toString()).isEqualTo("up");
  }

  @Test
  void errorsAreWordedAsPrometheusWordsThem() {
    assertThatThrownBy(() -> Parser.parseSeriesSelector("{}"))
        .hasMessage("1:1: parse error: vector selector must contain at least one non-empty matcher");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("{job=~\".*\"}"))
        .hasMessageContaining("vector selector must contain at least one non-empty matcher");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("up{job==\"a\"}"))
        .hasMessageContaining("unexpected \"==\" in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("up{job=\"a\""))
        .hasMessageContaining("unexpected end of input, expected \",\" or \"}\" in label matching");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("up{job=\"a}"))
        .hasMessageContaining("unterminated quoted string");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("up{__name__=\"x\"}"))
        .hasMessageContaining("metric name must not be set twice: \"up\" or \"x\"");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("up{job=~\"(\"}"))
        .hasMessageContaining("invalid regular expression");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("rate(up[5m])"))
        .hasMessageContaining("1:5: parse error: unexpected \"(\", expected end of input");
    assertThatThrownBy(() -> Parser.parseSeriesSelector("")).hasMessageContaining("unexpected end of input");
  }
}

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

  private static String round(String query) throws ParseException {
    return Printer.print(Parser.parse(query));
  }

  @Test
  void precedenceAndAssociativityArePromQLs() throws ParseException {
    assertThat(Parser.parse("1 + 2 * 3")).isInstanceOf(BinaryExpr.class);
    BinaryExpr sum = (BinaryExpr) Parser.parse("a + b * c");
    assertThat(sum.op()).isEqualTo(BinaryOp.ADD);
    assertThat(((BinaryExpr) sum.rhs()).op()).isEqualTo(BinaryOp.MUL);
    BinaryExpr pow = (BinaryExpr) Parser.parse("2 ^ 3 ^ 2");
    assertThat(pow.lhs()).isEqualTo(new NumberLiteral(2));
    // unary minus binds looser than ^ and tighter than *
    assertThat(Parser.parse("-2 ^ 2")).isInstanceOf(UnaryExpr.class);
    BinaryExpr product = (BinaryExpr) Parser.parse("-a * b");
    assertThat(product.lhs()).isInstanceOf(UnaryExpr.class);
    BinaryExpr or = (BinaryExpr) Parser.parse("a or b and c unless d");
    assertThat(or.op()).isEqualTo(BinaryOp.OR);
    assertThat(((BinaryExpr) or.rhs()).op()).isEqualTo(BinaryOp.UNLESS);
  }

  @Test
  void modifiersAndMatchingParse() throws ParseException {
    BinaryExpr b = (BinaryExpr) Parser.parse("a / on(job, instance) group_left(version) b");
    assertThat(b.matching().on()).isTrue();
    assertThat(b.matching().labels()).containsExactly("job", "instance");
    assertThat(b.matching().cardinality()).isEqualTo(VectorMatching.Cardinality.MANY_TO_ONE);
    assertThat(b.matching().include()).containsExactly("version");
    BinaryExpr cmp = (BinaryExpr) Parser.parse("a > bool ignoring(x) b");
    assertThat(cmp.returnBool()).isTrue();
    assertThat(cmp.matching().on()).isFalse();
    AggregateExpr agg = (AggregateExpr) Parser.parse("topk by (job) (3, rate(x[5m]))");
    assertThat(agg.op()).isEqualTo(AggregateOp.TOPK);
    assertThat(agg.grouping()).containsExactly("job");
    assertThat(agg.parameter()).isEqualTo(new NumberLiteral(3));
    AggregateExpr after = (AggregateExpr) Parser.parse("sum(x) without (a)");
    assertThat(after.without()).isTrue();
    Subquery sq = (Subquery) Parser.parse("rate(x[5m])[1h:30s] offset 1m @ end()");
    assertThat(sq.rangeMs()).isEqualTo(3_600_000);
    assertThat(sq.stepMs()).isEqualTo(30_000);
    assertThat(sq.offsetMs()).isEqualTo(60_000);
    assertThat(sq.at().kind()).isEqualTo(At.Kind.END);
    MatrixSelector m = (MatrixSelector) Parser.parse("x[1h30m] @ 100.5 offset -5m");
    assertThat(m.rangeMs()).isEqualTo(5_400_000);
    assertThat(m.selector().at().timestampMs()).isEqualTo(100_500);
    assertThat(m.selector().offsetMs()).isEqualTo(-300_000);
  }

  @Test
  void durationExpressionsFoldToMilliseconds() throws ParseException {
    assertThat(((MatrixSelector) Parser.parse("x[2m*(10+5)]")).rangeMs()).isEqualTo(1_800_000);
    assertThat(((MatrixSelector) Parser.parse("x[1800]")).rangeMs()).isEqualTo(1_800_000);
    assertThat(((VectorSelector) Parser.parse("x offset (2 ^ 2)")).offsetMs()).isEqualTo(4_000);
    // without parentheses, offset takes only the literal: (x offset 2) ^ 2
    assertThat(Parser.parse("x offset 2 ^ 2")).isInstanceOf(BinaryExpr.class);
  }

  @Test
  void printerWritesCanonicalPromQL() throws ParseException {
    assertThat(round("sum   by(job)(rate(http_requests_total{code=~\"5..\"}[5m]))"))
        .isEqualTo("sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))");
    assertThat(round("a+on(x)group_left b")).isEqualTo("a + on (x) group_left () b");
    assertThat(round("x[5m:] offset 1h")).isEqualTo("x[5m:] offset 1h");
  }

  @Test
  void typeErrorsHavePrometheusWording() {
    assertThatThrownBy(() -> Parser.parse("rate(x)"))
        .hasMessageContaining("expected type range vector in call to function \"rate\", got instant vector");
    assertThatThrownBy(() -> Parser.parse("1 > 2"))
        .hasMessageContaining("comparisons between scalars must use BOOL modifier");
    assertThatThrownBy(() -> Parser.parse("x and 1"))
        .hasMessageContaining("set operator \"and\" not allowed in binary scalar expression");
    assertThatThrownBy(() -> Parser.parse("foo(x)")).hasMessageContaining("unknown function with name \"foo\"");
    assertThatThrownBy(() -> Parser.parse("round()"))
        .hasMessageContaining("expected at least 1 argument(s) in call to \"round\", got 0");
    assertThatThrownBy(() -> Parser.parse("sum(x[5m])"))
        .hasMessageContaining("expected type instant vector in aggregation expression, got range vector");
    assertThatThrownBy(() -> Parser.parse("(x)[5m]")).hasMessageContaining("ranges only allowed for vector selectors");
    assertThatThrownBy(() -> Parser.parse("x[5m][1m:]"))
        .hasMessageContaining("subquery is only allowed on instant vector, got range vector");
    assertThatThrownBy(() -> Parser.parse("a + on(x) group_left(x) b"))
        .hasMessageContaining("label \"x\" must not occur in ON and GROUP clause at once");
    assertThatThrownBy(() -> Parser.parse("")).hasMessage("1:1: parse error: no expression found in input");
  }
}

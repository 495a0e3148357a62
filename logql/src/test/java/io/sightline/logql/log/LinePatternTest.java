package io.sightline.logql.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.logql.syntax.PatternSyntax;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loki's pattern matcher fixtures (pkg/logql/log/pattern/pattern_test.go): captures and the filter's test. */
class LinePatternTest {
  private static void check(String pattern, String line, List<String> captures, boolean test) {
    LinePattern p = new LinePattern(PatternSyntax.parse(pattern));
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    assertThat(p.test(b, 0, b.length)).as("test " + pattern).isEqualTo(test);
    int n = p.matches(b, 0, b.length);
    List<String> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      got.add(new String(b, p.start(i), p.end(i) - p.start(i), StandardCharsets.UTF_8));
    }
    assertThat(got).as("captures " + pattern).isEqualTo(captures);
  }

  @Test
  void lokiFixtures() {
    check("foo <foo> bar", "foo buzz bar", List.of("buzz"), true);
    check("foo <foo> bar<fuzz>", "foo buzz bar", List.of("buzz", ""), false);
    check("<foo>foo <bar> bar", "foo buzz bar", List.of("", "buzz"), false);
    check("<foo> bar<fuzz>", " bar", List.of("", ""), false);
    check("<foo>bar<baz>", " bar ", List.of(" ", " "), true);
    check("<foo> bar<baz>", " bar ", List.of("", " "), false);
    check("<foo>bar <baz>", " bar ", List.of(" ", ""), false);
    check("<foo>", " bar ", List.of(" bar "), true);
    check("<path>?<_>", "/api/plugins/versioncheck?slugIn=x&v=1", List.of("/api/plugins/versioncheck"), true);
    check("<path>?<_>", "/api/plugins/status", List.of("/api/plugins/status"), false);
    check("<ip> <userid> <user> [<_>] \"<method> <path> <_>\" <status> <size>",
        "127.0.0.1 user-identifier frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
        List.of("127.0.0.1", "user-identifier", "frank", "GET", "/apache_pb.gif", "200", "2326"), true);
    check("<_> <id> [<level>] ", "2021-05-19T07:40:12.215792Z 42761518 [Note] Aborted connection",
        List.of("42761518", "Note"), false);
    check("<_> msg=\"<method> <path> (<status>) <duration>\"",
        "level=debug ts=2021 msg=\"POST /loki/api/v1/push (204) 1.238734ms\"",
        List.of("POST", "/loki/api/v1/push", "204", "1.238734ms"), true);
    check("unicode <emoji> character", "unicode 🤷 character", List.of("🤷"), true);
    check("unicode ▶ <what>", "unicode ▶ character", List.of("character"), true);
  }

  @Test
  void lokiErrors() {
    assertThatThrownBy(() -> PatternSyntax.parse("")).hasMessage(
        "parse error at line 1, col 1: syntax error: unexpected $end, expecting IDENTIFIER or LITERAL");
    assertThatThrownBy(() -> PatternSyntax.parse("<_>")).hasMessage("at least one capture is required");
    assertThatThrownBy(() -> PatternSyntax.parse("foo bar buzz")).hasMessage("at least one capture is required");
    assertThatThrownBy(() -> PatternSyntax.parse("<f> f<d><b>"))
        .hasMessage("found consecutive capture '<d><b>': invalid expression");
    assertThatThrownBy(() -> PatternSyntax.parse("<f> f<f>"))
        .hasMessage("duplicate capture name (f): invalid expression");
    assertThatThrownBy(() -> PatternSyntax.parse("f<f><_>"))
        .hasMessage("found consecutive capture '<f><_>': invalid expression");
    assertThatThrownBy(() -> PatternSyntax.parseLineFilter("<foo <foo> bar <_>"))
        .hasMessage("named captures are not allowed: found '<foo>'");
    assertThat(PatternSyntax.parseLineFilter("")).isEmpty();
  }
}

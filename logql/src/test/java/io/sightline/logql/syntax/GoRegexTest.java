package io.sightline.logql.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sightline.logql.syntax.RegexSimplifier.Simple;
import org.junit.jupiter.api.Test;

/** Go's regexp syntax on Java's engine: where the two differ, Go's meaning wins. */
class GoRegexTest {
  private static boolean find(String re, String s) throws GoRegex.SyntaxError {
    return GoRegex.parse(re).pattern().matcher(s).find();
  }

  @Test
  void dollarIsTheEndOfTheText() throws Exception {
    assertThat(find("a$", "a\n")).isFalse();
    assertThat(find("(?m)a$", "a\nb")).isTrue();
  }

  @Test
  void dotStopsOnlyAtNewline() throws Exception {
    assertThat(find("a.b", "a\rb")).isTrue();
    assertThat(find("a.b", "a\nb")).isFalse();
    assertThat(find("(?s)a.b", "a\nb")).isTrue();
    assertThat(GoRegex.parse("a.b", true).anchored().matcher("a\nb").matches()).isTrue();
  }

  @Test
  void classesAreGos() throws Exception {
    assertThat(find("\\s", "\u000b")).isFalse(); // Go's \s has no vertical tab
    assertThat(find("[[:digit:]]+", "x42")).isTrue();
    assertThat(find("[[:^alpha:]]", "abc")).isFalse();
    assertThat(find("\\pL", "é")).isTrue();
    assertThat(find("\\p{Greek}", "λ")).isTrue();
    assertThat(find("[a[]", "[")).isTrue(); // '[' is literal inside a Go class
    assertThat(find("\\101", "A")).isTrue(); // octal
  }

  @Test
  void namedGroupsMayHaveUnderscores() throws Exception {
    GoRegex re = GoRegex.parse("(?P<status_code>\\d+) (x) (?<path>\\S+)");
    assertThat(re.groupNames()).containsExactly("status_code", "", "path");
    var m = re.pattern().matcher("200 x /a");
    assertThat(m.find()).isTrue();
    assertThat(m.group(3)).isEqualTo("/a");
  }

  @Test
  void ungreedyFlagSwapsQuantifiers() throws Exception {
    var m = GoRegex.parse("(?U)a+").pattern().matcher("aaa");
    assertThat(m.find()).isTrue();
    assertThat(m.group()).isEqualTo("a");
  }

  @Test
  void errorsAreGos() {
    assertThatThrownBy(() -> GoRegex.parse("a(")).hasMessage("error parsing regexp: missing closing ): `a(`");
    assertThatThrownBy(() -> GoRegex.parse("a)")).hasMessage("error parsing regexp: unexpected ): `a)`");
    assertThatThrownBy(() -> GoRegex.parse("[z-a]"))
        .hasMessage("error parsing regexp: invalid character class range: `z-a`");
    assertThatThrownBy(() -> GoRegex.parse("x{1001}")).hasMessage("error parsing regexp: invalid repeat count: `{1001}`");
    assertThatThrownBy(() -> GoRegex.parse("a\\")).hasMessage(
        "error parsing regexp: trailing backslash at end of expression: ``");
    assertThatThrownBy(() -> GoRegex.parse("(?<=a)b")).hasMessage(
        "error parsing regexp: invalid or unsupported Perl syntax: `(?<`");
    assertThatThrownBy(() -> GoRegex.parse("\\1")).hasMessage("error parsing regexp: invalid escape sequence: `\\1`");
    assertThatThrownBy(() -> GoRegex.parse("a+*")).hasMessage(
        "error parsing regexp: invalid nested repetition operator: `+*`");
  }

  @Test
  void simplifierFollowsLokiShapes() throws Exception {
    // Loki's filter tests: literal alternations and .* become substring tests, classes and repeats do not.
    assertThat(RegexSimplifier.simplify(GoRegex.parse("(foo|ba|ar)"), false)).isEqualTo(new Simple.Or(
        new Simple.Or(new Simple.Contains("foo", false), new Simple.Contains("ba", false)),
        new Simple.Contains("ar", false)));
    assertThat(RegexSimplifier.simplify(GoRegex.parse(".*foo.*"), false)).isEqualTo(new Simple.Contains("foo",
        false));
    assertThat(RegexSimplifier.simplify(GoRegex.parse("(?i)foo"), false)).isEqualTo(new Simple.Contains("foo",
        true));
    assertThat(RegexSimplifier.simplify(GoRegex.parse(".+"), false)).isEqualTo(new Simple.Exists());
    assertThat(RegexSimplifier.simplify(GoRegex.parse(""), false)).isEqualTo(new Simple.True());
    assertThat(RegexSimplifier.simplify(GoRegex.parse("f|foo|foobar"), false)).isEqualTo(new Simple.Or(
        new Simple.Contains("f", false), new Simple.Or(new Simple.Contains("foo", false),
            new Simple.Contains("foobar", false))));
    for (String notSimple : new String[] {"[a-z]+foo", ".+foo", ".*fo.*o", "\\d", "foo?", "foo|\\d*bar",
        "f|f(?i)oo", ".foo+", "a|b"}) {
      assertThat(RegexSimplifier.simplify(GoRegex.parse(notSimple), false)).as(notSimple).isNull();
    }
    // A label regex alone is an equality test.
    assertThat(RegexSimplifier.simplify(GoRegex.parse("error|warn"), true)).isEqualTo(new Simple.Or(
        new Simple.Equal("error", false), new Simple.Equal("warn", false)));
  }
}

package io.sightline.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
  private static final TemplateData ALERT = new TemplateData(
      Map.of("job", "api", "instance", "10.0.0.1:9090"), Map.of("cluster", "eu-1"), "http://sightline:3000/prom", 0.1234);

  private static String run(String text) throws TemplateException {
    return Template.parse("__alert_A", text).execute(ALERT);
  }

  private static String over(String text, Object dot) throws TemplateException {
    return Template.executeWith(text, dot, Map.of());
  }

  @Test
  void variablesAndFieldsOfTheAlert() throws Exception {
    assertThat(run("{{ $labels.job }} {{ .Labels.job }} {{ $value }} {{ .Value }}")).isEqualTo("api api 0.1234 0.1234");
    assertThat(run("{{ $externalLabels.cluster }} {{ .ExternalLabels.cluster }} {{ $externalURL }}"))
        .isEqualTo("eu-1 eu-1 http://sightline:3000/prom");
    assertThat(run("[{{ $labels.missing }}]")).isEqualTo("[]");
    assertThat(run("plain text")).isEqualTo("plain text");
  }

  @Test
  void theBriefsExamples() throws Exception {
    assertThat(run("{{ humanize 1234567 }}")).isEqualTo("1.235M");
    assertThat(run("{{ humanizeDuration 3661 }}")).isEqualTo("1h 1m 1s");
    assertThat(run("{{ humanizePercentage 0.1234 }}")).isEqualTo("12.34%");
    assertThat(run("{{ $value | humanizePercentage }}")).isEqualTo("12.34%");
  }

  @Test
  void humanizeFamilyAsPrometheusTestsIt() throws Exception {
    // Inputs and outputs of Prometheus' template_test.go.
    assertThat(over("{{ range . }}{{ humanize . }}:{{ end }}", List.of(0.0, 1.0, 1234567.0, .12)))
        .isEqualTo("0:1:1.235M:120m:");
    assertThat(over("{{ range . }}{{ humanize1024 . }}:{{ end }}", List.of(0.0, 1.0, 1048576.0, .12)))
        .isEqualTo("0:1:1Mi:0.12:");
    assertThat(over("{{ range . }}{{ humanizeDuration . }}:{{ end }}",
        List.of(0.0, 1.0, 60.0, 3600.0, 86400.0, 86400.0 + 3600, -(86400.0 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99)))
        .isEqualTo("0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:");
    assertThat(over("{{ range . }}{{ humanizeDuration . }}:{{ end }}",
        List.of(.1, .0001, .12345, 60.1, 60.5, 1.2345, 12.345)))
        .isEqualTo("100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:");
    assertThat(over("{{ range . }}{{ humanizePercentage . }}:{{ end }}", List.of(0.0, 0.1234567, 1.23456, 12.3456)))
        .isEqualTo("0%:12.35%:123.5%:1235%:");
    assertThat(over("{{ humanizeTimestamp 1435065584.128 }}", null)).isEqualTo("2015-06-23 13:19:44.128 +0000 UTC");
    assertThat(over("{{ humanize \"1234567\" }}", null)).isEqualTo("1.235M");
    assertThat(over("{{ humanize -1234 }} {{ humanize 0.000001 }}", null)).isEqualTo("-1.234k 1u");
  }

  @Test
  void humanizeRefusesWhatIsNotANumber() {
    assertThatThrownBy(() -> run("{{ humanize \"x\" }}")).isInstanceOf(TemplateException.class)
        .hasMessage("template: __alert_A:1:115: executing \"__alert_A\" at <humanize>: error calling humanize: "
            + "strconv.ParseFloat: parsing \"x\": invalid syntax");
    assertThatThrownBy(() -> run("{{ humanize $labels }}"))
        .hasMessageEndingWith("error calling humanize: can't convert map[string]string to float");
  }

  @Test
  void conditionalsComparisonsAndLogic() throws Exception {
    assertThat(run("{{ if gt $value 0.1 }}high{{ else }}low{{ end }}")).isEqualTo("high");
    assertThat(run("{{ if lt $value 0.1 }}low{{ else if eq $labels.job \"api\" }}api{{ else }}other{{ end }}"))
        .isEqualTo("api");
    assertThat(run("{{ if and (eq $labels.job \"api\") (not (eq $labels.job \"db\")) }}yes{{ end }}")).isEqualTo("yes");
    assertThat(run("{{ or $labels.missing \"fallback\" }}")).isEqualTo("fallback");
    assertThat(run("{{ ne 1 2 }} {{ le 2 2 }} {{ ge \"b\" \"a\" }} {{ eq 1 3 2 1 }}")).isEqualTo("true true true true");
    assertThat(run("{{ with $labels.job }}job={{ . }}{{ end }}{{ with $labels.none }}x{{ else }}-{{ end }}"))
        .isEqualTo("job=api-");
    // Go compares only values of the same kind: an int constant is not a float.
    assertThatThrownBy(() -> run("{{ gt $value 1 }}"))
        .hasMessageEndingWith("error calling gt: incompatible types for comparison");
  }

  @Test
  void rangeOverLabelsInSortedOrder() throws Exception {
    assertThat(run("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}"))
        .isEqualTo("instance=10.0.0.1:9090;job=api;");
    assertThat(run("{{ range $labels }}{{ . }},{{ end }}")).isEqualTo("10.0.0.1:9090,api,");
    assertThat(over("{{ range . }}x{{ else }}empty{{ end }}", List.of())).isEqualTo("empty");
  }

  @Test
  void variablesAndTrimMarkers() throws Exception {
    assertThat(run("{{ $j := $labels.job }}{{ $j }}{{ $j = \"x\" }}{{ $j }}")).isEqualTo("apix");
    assertThat(run("a  {{- \" b \" -}}  c")).isEqualTo("a b c");
    assertThat(run("a{{/* a comment */}}b")).isEqualTo("ab");
  }

  @Test
  void printfWithGoVerbs() throws Exception {
    assertThat(run("{{ printf \"%.2f\" $value }}")).isEqualTo("0.12");
    assertThat(run("{{ printf \"%s has %d%%\" $labels.job 5 }}")).isEqualTo("api has 5%");
    assertThat(run("{{ printf \"%v|%5.1f|%-4s|%q\" $value 3.14159 \"ab\" \"q\" }}")).isEqualTo("0.1234|  3.1|ab  |\"q\"");
    assertThat(run("{{ printf \"%d\" $value }}")).isEqualTo("%!d(float64=0.1234)");
    assertThat(run("{{ printf \"%.2f\" 0.125 }}")).isEqualTo("0.12");
    assertThat(run("{{ printf \"%g %e\" 1234567.0 1234567.0 }}")).isEqualTo("1.234567e+06 1.234567e+06");
    assertThat(run("{{ 1000000.0 }} {{ 100000.0 }} {{ 0.00001 }}")).isEqualTo("1e+06 100000 1e-05");
  }

  @Test
  void stringFunctions() throws Exception {
    assertThat(run("{{ $labels.job | toUpper }} {{ \"ABC\" | toLower }} {{ title \"aa bb CC\" }}")).isEqualTo("API abc Aa Bb CC");
    assertThat(run("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }} {{ reReplaceAll \"(?P<n>\\\\d+)\" \"<${n}>\" \"a12\" }}"))
        .isEqualTo("xa a<12>");
    assertThat(run("{{ match \"^10\\\\.\" $labels.instance }} {{ match \"^db\" $labels.job }}")).isEqualTo("true false");
    assertThat(run("{{ $labels.instance | stripPort }} {{ stripPort \"[::1]:80\" }} {{ stripPort \"host\" }}"))
        .isEqualTo("10.0.0.1 ::1 host");
    assertThat(run("{{ safeHtml \"<b>\" }}")).isEqualTo("<b>");
    assertThat(run("{{ parseDuration \"1h2m10ms\" }}")).isEqualTo("3720.01");
    assertThat(run("{{ toTime 1435065584.128 }}")).isEqualTo("2015-06-23 13:19:44.128 +0000 UTC");
  }

  @Test
  void timestampsOutOfRange() throws Exception {
    assertThatThrownBy(() -> run("{{ toTime 1e300 }}"))
        .hasMessageEndingWith("error calling toTime: 1e+300 cannot be represented as a nanoseconds timestamp since it overflows int64");
    assertThatThrownBy(() -> over("{{ toTime . }}", Double.NaN)).hasMessageEndingWith("error calling toTime: value is NaN or Inf");
    assertThat(over("{{ humanizeTimestamp . }}", Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }

  @Test
  void linksAndUrls() throws Exception {
    assertThat(run("{{ externalURL }} {{ pathPrefix }}")).isEqualTo("http://sightline:3000/prom /prom");
    assertThat(run("{{ tableLink \"rate(x[5m]) > 1\" }}")).isEqualTo("/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+1&g0.tab=1");
    assertThat(run("{{ graphLink \"up\" }}")).isEqualTo("/graph?g0.expr=up&g0.tab=0");
  }

  @Test
  void samplesAndArgs() throws Exception {
    List<Sample> result = List.of(new Sample(Map.of("instance", "a", "__value__", "7"), 7));
    assertThat(over("{{ with first . }}{{ label \"instance\" . }}={{ value . }} {{ strvalue . }}{{ end }}", result))
        .isEqualTo("a=7 7");
    assertThat(over("{{ range . }}{{ .Labels.instance }} {{ .Value | humanize }}{{ end }}", result)).isEqualTo("a 7");
    assertThatThrownBy(() -> over("{{ first . }}", List.of()))
        .hasMessageEndingWith("error calling first: first() called on vector with no elements");
    assertThat(run("{{ with args 1 \"b\" }}{{ .arg0 }} {{ .arg1 }} {{ .arg2 }}{{ end }}")).isEqualTo("1 b <no value>");
  }

  @Test
  void queryParsesButIsNotSupportedYet() throws Exception {
    Template t = Template.parse("__alert_A", "{{ query \"up\" | first | value }}");
    assertThatThrownBy(() -> t.execute(ALERT))
        .hasMessageEndingWith("error calling query: function query not supported yet");
  }

  @Test
  void parseErrorsGiveTheLine() {
    assertThatThrownBy(() -> Template.parse("t", "{{ $labels.x ")).hasMessage("template: t:1: unclosed action");
    assertThatThrownBy(() -> Template.parse("t", "one\ntwo\n{{ nosuch }}"))
        .hasMessage("template: t:3: function \"nosuch\" not defined");
    assertThatThrownBy(() -> Template.parse("t", "{{ if true }}\n\nx")).hasMessage("template: t:3: unexpected EOF");
    assertThatThrownBy(() -> Template.parse("t", "{{ $x }}")).hasMessage("template: t:1: undefined variable \"$x\"");
    assertThatThrownBy(() -> Template.parse("t", "{{ end }}")).hasMessage("template: t:1: unexpected {{end}}");
    assertThatThrownBy(() -> Template.parse("t", "{{ range $k, $v := $labels }}{{ end }}{{ $k }}"))
        .hasMessage("template: t:1: undefined variable \"$k\"");
  }

  @Test
  void wrongArgumentsFailAtExecution() {
    assertThatThrownBy(() -> run("{{ toUpper 1 }}")).hasMessageEndingWith("at <1>: expected string; found 1");
    assertThatThrownBy(() -> run("{{ toUpper $value }}"))
        .hasMessageEndingWith("at <$value>: wrong type for value; expected string; got float64");
    assertThatThrownBy(() -> run("x\n  {{ humanize \"y\" }}"))
        .hasMessageStartingWith("template: __alert_A:2:5: executing \"__alert_A\" at <humanize>");
    assertThatThrownBy(() -> run("{{ humanize 1 2 }}"))
        .hasMessageEndingWith("at <humanize>: wrong number of args for humanize: want 1 got 2");
    assertThatThrownBy(() -> run("{{ .Nope }}")).hasMessageEndingWith("can't evaluate field Nope in type template.tmplData");
  }
}

package io.sightline.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sightline.rules.template.Template;
import io.sightline.rules.template.TemplateData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleFileTest {
  private static final Path RESOURCES = Path.of("src/test/resources");

  private static List<String> errorLines(String name, String yaml) {
    try {
      RuleFile.parse(name, yaml);
    } catch (RuleFileException e) {
      return e.errors().stream().flatMap(s -> Arrays.stream(s.split("\n"))).toList();
    }
    throw new AssertionError("expected " + name + " to fail");
  }

  private static List<String> errorLines(Path file) throws Exception {
    return errorLines(file.getFileName().toString(), Files.readString(file));
  }

  @Test
  void sloFileLoadsWithItsGroupsAndRules() throws Exception {
    RuleFile f = RuleFile.load(RESOURCES.resolve("valid/slo.yml"));
    assertThat(f.groups()).extracting(RuleGroup::name)
        .containsExactly("slo:checkout:recordings", "slo:checkout:alerts");
    RuleGroup alerts = f.groups().get(1);
    assertThat(alerts.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(alerts.limit()).isEqualTo(100);
    Rule slow = alerts.rules().get(1);
    assertThat(slow.alert()).isEqualTo("ErrorBudgetBurnSlow");
    assertThat(slow.isAlerting()).isTrue();
    assertThat(slow.forDuration()).isEqualTo(Duration.ofMinutes(90));
    assertThat(slow.labels()).containsEntry("severity", "ticket");
    Rule fast = alerts.rules().get(0);
    assertThat(fast.keepFiringFor()).isEqualTo(Duration.ofMinutes(5));
    assertThat(fast.annotations()).containsKeys("summary", "description");
    Rule recording = f.groups().get(0).rules().get(0);
    assertThat(recording.record()).isEqualTo("job:http_requests:error_ratio_rate5m");
    assertThat(recording.expr()).contains("sum by (job)");
    assertThat(recording.forDuration()).isZero();
  }

  @Test
  void sloTemplatesExpand() throws Exception {
    RuleGroup alerts = RuleFile.load(RESOURCES.resolve("valid/slo.yml")).groups().get(1);
    TemplateData data = new TemplateData(Map.of("job", "checkout"), Map.of("cluster", "eu-1"), "http://sightline:3000", 0.02);
    Rule fast = alerts.rules().get(0);
    assertThat(Template.parse("__alert_" + fast.alert(), fast.labels().get("team")).execute(data)).isEqualTo("CHECKOUT");
    assertThat(Template.parse("s", fast.annotations().get("summary")).execute(data))
        .isEqualTo("checkout burns its error budget fast: 2% errors");
    assertThat(Template.parse("d", fast.annotations().get("description")).execute(data))
        .isEqualTo("Over 14.4x the budget on eu-1; runbook http://sightline:3000/runbooks/slo.");
    Rule slow = alerts.rules().get(1);
    assertThat(Template.parse("s", slow.annotations().get("summary")).execute(data))
        .isEqualTo("0.02 of requests to checkout fail");
    assertThat(Template.parse("l", slow.annotations().get("labels")).execute(data)).isEqualTo("job=checkout ");
  }

  @Test
  void promtoolAcceptsTheSloFile() throws Exception {
    assumeTrue(Promtool.available(), "promtool is not installed at " + Promtool.BINARY);
    Promtool.Result r = Promtool.checkRules(RESOURCES.resolve("valid/slo.yml"));
    assertThat(r.errorLines()).isEmpty();
    assertThat(r.success()).isTrue();
  }

  @Test
  void groupFieldsPrometheus3AddedAreAccepted() throws Exception {
    // query_offset and group labels came after 2.42, so promtool 2.42 refuses them; Prometheus 3 does not.
    RuleFile f = RuleFile.parse("g.yml", """
        groups:
        - name: g
          query_offset: 1m
          labels: {team: a}
          rules:
          - record: r
            expr: up
        """);
    assertThat(f.groups().get(0).queryOffset()).isEqualTo(Duration.ofMinutes(1));
    assertThat(f.groups().get(0).labels()).isEqualTo(Map.of("team", "a"));
  }

  @Test
  void emptyFileHasNoGroups() throws Exception {
    assertThat(RuleFile.parse("e.yml", "").groups()).isEmpty();
    assertThat(RuleFile.parse("e.yml", "groups: []\n").groups()).isEmpty();
  }

  @Test
  void mixedProblemsAreAllReportedWithPositions() throws Exception {
    assertThat(errorLines(RESOURCES.resolve("broken/mixed.yml"))).containsExactly(
        "mixed.yml: 4:13: 5:12: group \"g\", rule 1, \"X\": only one of 'record' and 'alert' must be set",
        "mixed.yml: 0:0: group \"g\", rule 2, \"\": one of 'record' or 'alert' must be set",
        "mixed.yml: 8:13: group \"g\", rule 3, \"bad name\": invalid recording rule name: bad name",
        "mixed.yml: 10:13: group \"g\", rule 4, \"r\": invalid field 'annotations' in recording rule",
        "mixed.yml: 10:13: group \"g\", rule 4, \"r\": invalid field 'for' in recording rule",
        "mixed.yml: 10:13: group \"g\", rule 4, \"r\": invalid field 'keep_firing_for' in recording rule",
        "mixed.yml: 16:11: group \"g\", rule 5, \"A\": could not parse expression: 1:1: parse error: unknown function with name \"foo\"",
        "mixed.yml: group \"g\", rule 5, \"A\": invalid label name: __name__",
        "mixed.yml: group \"g\", rule 5, \"A\": invalid label name: bad-label",
        "mixed.yml: group \"g\", rule 5, \"A\": invalid annotation name: bad ann",
        "mixed.yml: group \"g\", rule 5, \"A\": annotation \"summary\": template: __alert_A:1: unclosed action",
        "mixed.yml: 19:3: groupname: \"g\" is repeated in the same file",
        "mixed.yml: 21:3: Groupname must not be empty");
  }

  @Test
  void unknownFieldsNameTheGoType() throws Exception {
    assertThat(errorLines(RESOURCES.resolve("broken/two-unknown-fields.yml"))).containsExactly(
        "two-unknown-fields.yml: yaml: unmarshal errors:",
        "  line 7: field foo not found in type rulefmt.RuleNode",
        "  line 8: field bar not found in type rulefmt.RuleNode");
    assertThat(errorLines(RESOURCES.resolve("broken/unknown-group-field.yml"))).containsExactly(
        "unknown-group-field.yml: yaml: unmarshal errors:",
        "  line 3: field bar not found in type rulefmt.RuleGroup");
    assertThat(errorLines("top.yml", "groups: []\nrules: []\n")).containsExactly(
        "top.yml: yaml: unmarshal errors:", "  line 2: field rules not found in type rulefmt.RuleGroups");
  }

  @Test
  void wrongKindsAreCollectedInDocumentOrder() throws Exception {
    assertThat(errorLines(RESOURCES.resolve("broken/wrong-kinds.yml"))).containsExactly(
        "wrong-kinds.yml: yaml: unmarshal errors:",
        "  line 3: cannot unmarshal !!str `abc` into int",
        "  line 7: cannot unmarshal !!seq into map[string]string");
    assertThat(errorLines(RESOURCES.resolve("broken/duplicate-key.yml"))).containsExactly(
        "duplicate-key.yml: yaml: unmarshal errors:",
        "  line 6: mapping key \"expr\" already defined at line 5");
  }

  @Test
  void scalarsOfAnyKindAreStrings() throws Exception {
    Rule r = RuleFile.parse("n.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: 5\n    labels: {severity: 1}\n")
        .groups().get(0).rules().get(0);
    assertThat(r.expr()).isEqualTo("5");
    assertThat(r.labels()).containsEntry("severity", "1");
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    assertThat(errorLines("s.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n   labels: x: y\n"))
        .singleElement().asString().startsWith("s.yml: yaml: line ");
  }

  @Test
  void badDurationEndsDecoding() throws Exception {
    assertThat(errorLines(RESOURCES.resolve("broken/bad-duration.yml")))
        .containsExactly("bad-duration.yml: not a valid duration string: \"5x\"");
  }

  @Test
  void missingExprAndTemplateOfAlertingRuleLabel() throws Exception {
    assertThat(errorLines(RESOURCES.resolve("broken/missing-expr.yml"))).containsExactly(
        "missing-expr.yml: 0:0: group \"g\\\"q\", rule 2, \"B\": field 'expr' must be set in rule",
        "missing-expr.yml: group \"g\\\"q\", rule 2, \"B\": label \"a\": template: __alert_B:1: unclosed action");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "mixed.yml", "unknown-rule-field.yml", "unknown-group-field.yml", "bad-duration.yml",
    "two-unknown-fields.yml", "missing-expr.yml", "templates.yml", "duplicate-key.yml",
    "wrong-kind.yml", "wrong-kinds.yml"})
  void sameLinesAsPromtool(String name) throws Exception {
    assumeTrue(Promtool.available(), "promtool is not installed at " + Promtool.BINARY);
    Path file = RESOURCES.resolve("broken").resolve(name);
    Promtool.Result expected = Promtool.checkRules(file);
    assertThat(expected.success()).isFalse();
    // Prometheus reports label and annotation problems in Go map order, which is random: compare as sets.
    assertThat(errorLines(file)).containsExactlyInAnyOrderElementsOf(expected.errorLines());
  }

  /** Expressions whose parse errors the PromQL parser words as Prometheus 2.42 does (others: see the report). */
  @ParameterizedTest
  @ValueSource(strings = {"foo(up)", "1 +", "{}", "up == bool", "sum(rate(x[5m])) by (job) +"})
  void exprErrorsAsPromtool(String expr, @TempDir Path dir) throws Exception {
    String yaml = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n";
    List<String> ours = errorLines("x.yml", yaml);
    assertThat(ours).singleElement().asString().startsWith("x.yml: 5:11: group \"g\", rule 1, \"A\": could not parse expression: ");
    assumeTrue(Promtool.available(), "promtool is not installed at " + Promtool.BINARY);
    Path file = dir.resolve("x.yml");
    Files.writeString(file, yaml);
    assertThat(ours).isEqualTo(Promtool.checkRules(file).errorLines());
  }

  @Test
  void durationsInPrometheusFormat() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1d2h")).isEqualTo(Duration.ofHours(26));
    assertThat(Durations.parse("1w")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("1y")).isEqualTo(Duration.ofDays(365));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("0")).isZero();
    assertThatThrownBy(() -> Durations.parse("30m1h")).hasMessage("not a valid duration string: \"30m1h\"");
    assertThatThrownBy(() -> Durations.parse("1.5h")).hasMessage("not a valid duration string: \"1.5h\"");
    assertThatThrownBy(() -> Durations.parse("")).hasMessage("empty duration string");
  }
}

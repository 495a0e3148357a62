package io.sightline.rules;

import io.sightline.core.model.GoFormat;
import io.sightline.promql.parser.ParseException;
import io.sightline.promql.parser.Parser;
import io.sightline.rules.YamlNode.Entry;
import io.sightline.rules.YamlNode.Mapping;
import io.sightline.rules.YamlNode.Scalar;
import io.sightline.rules.YamlNode.Sequence;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Decodes and validates one rule file in two passes, as Prometheus' {@code rulefmt.Parse} does:
 * decoding first (unknown fields and bad durations end it, as yaml.v3's strict decoding would),
 * then validation, which collects every problem of every group before failing.
 */
final class RuleFileReader {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> FILE_FIELDS = Set.of("groups");
  private static final Set<String> GROUP_FIELDS =
      Set.of("name", "interval", "limit", "query_offset", "labels", "rules");
  private static final Set<String> RULE_FIELDS =
      Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

  private final String file;
  private final List<YamlNode.Problem> decodeErrors = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  RuleFileReader(String file) {
    this.file = file;
  }

  RuleFile read(String content) throws RuleFileException {
    YamlNode root;
    try {
      root = YamlNode.parse(content, decodeErrors);
    } catch (IOException e) {
      throw fail(List.of(file + ": yaml: " + syntaxMessage(e)));
    }
    List<DecodedGroup> groups;
    try {
      groups = decodeFile(root);
    } catch (IllegalArgumentException e) {
      throw fail(List.of(file + ": " + e.getMessage()));
    }
    if (!decodeErrors.isEmpty()) {
      List<String> lines = decodeErrors.stream()
          .sorted(java.util.Comparator.comparingInt(YamlNode.Problem::line))
          .map(pr -> "line " + pr.line() + ": " + pr.message())
          .toList();
      throw fail(List.of(file + ": yaml: unmarshal errors:\n  " + String.join("\n  ", lines)));
    }
    validate(groups);
    if (!errors.isEmpty()) {
      throw fail(errors);
    }
    List<RuleGroup> out = new ArrayList<>();
    for (DecodedGroup g : groups) {
      out.add(g.group());
    }
    return new RuleFile(file, out);
  }

  private static RuleFileException fail(List<String> errors) {
    return new RuleFileException(errors);
  }

  // ---- decoding

  /** A group with the YAML nodes validation cites. */
  private record DecodedGroup(RuleGroup group, YamlNode node, List<DecodedRule> rules) {}

  /** A rule with the value nodes of {@code record}, {@code alert} and {@code expr}; absent ones are null. */
  private record DecodedRule(Rule rule, YamlNode record, YamlNode alert, YamlNode expr) {}

  private List<DecodedGroup> decodeFile(YamlNode root) {
    List<DecodedGroup> groups = new ArrayList<>();
    Mapping m = mapping(root, "rulefmt.RuleGroups", FILE_FIELDS);
    if (m == null) {
      return groups;
    }
    for (YamlNode g : items(m.entries().get("groups"), "[]rulefmt.RuleGroup")) {
      groups.add(decodeGroup(g));
    }
    return groups;
  }

  private DecodedGroup decodeGroup(YamlNode node) {
    Mapping m = mapping(node, "rulefmt.RuleGroup", GROUP_FIELDS);
    Map<String, Entry> e = m == null ? Map.of() : m.entries();
    List<DecodedRule> rules = new ArrayList<>();
    for (YamlNode r : items(e.get("rules"), "[]rulefmt.RuleNode")) {
      rules.add(decodeRule(r));
    }
    List<Rule> plain = rules.stream().map(DecodedRule::rule).toList();
    RuleGroup group = new RuleGroup(
        text(e.get("name")),
        duration(e.get("interval")),
        integer(e.get("limit")),
        duration(e.get("query_offset")),
        stringMap(e.get("labels")),
        plain);
    return new DecodedGroup(group, node, rules);
  }

  private DecodedRule decodeRule(YamlNode node) {
    Mapping m = mapping(node, "rulefmt.RuleNode", RULE_FIELDS);
    Map<String, Entry> e = m == null ? Map.of() : m.entries();
    Rule rule = new Rule(
        text(e.get("record")),
        text(e.get("alert")),
        text(e.get("expr")),
        duration(e.get("for")),
        duration(e.get("keep_firing_for")),
        stringMap(e.get("labels")),
        stringMap(e.get("annotations")));
    return new DecodedRule(rule, value(e.get("record")), value(e.get("alert")), value(e.get("expr")));
  }

  /** The node as a mapping, noting each key the Go type would not know; null for an empty node. */
  private Mapping mapping(YamlNode node, String goType, Set<String> known) {
    if (node instanceof Mapping m) {
      for (Entry entry : m.entries().values()) {
        if (!known.contains(entry.key())) {
          decodeErrors.add(new YamlNode.Problem(entry.keyLine(),
              "field " + entry.key() + " not found in type " + goType));
        }
      }
      return m;
    }
    if (node == null || node instanceof Scalar s && s.isNull()) {
      return null;
    }
    cannotUnmarshal(node, goType);
    return null;
  }

  /** yaml.v3 notes a value of the wrong kind and goes on decoding the rest. */
  private void cannotUnmarshal(YamlNode node, String goType) {
    decodeErrors.add(new YamlNode.Problem(node.line(), "cannot unmarshal " + YamlNode.describe(node) + " into " + goType));
  }

  /** snakeyaml's problem with the line it is on, in yaml.v3's {@code yaml: line N: problem} shape. */
  private static String syntaxMessage(IOException e) {
    if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
      return "line " + (m.getProblemMark().getLine() + 1) + ": " + m.getProblem();
    }
    return e.getMessage();
  }

  private List<YamlNode> items(Entry entry, String goType) {
    if (entry == null || entry.value() instanceof Scalar s && s.isNull()) {
      return List.of();
    }
    if (entry.value() instanceof Sequence seq) {
      return seq.items();
    }
    cannotUnmarshal(entry.value(), goType);
    return List.of();
  }

  private static YamlNode value(Entry entry) {
    return entry == null ? null : entry.value();
  }

  /** yaml.v3 decodes any scalar into a string ({@code expr: 5} is the string "5"). */
  private String text(Entry entry) {
    if (entry == null) {
      return "";
    }
    if (entry.value() instanceof Scalar s) {
      return s.text();
    }
    cannotUnmarshal(entry.value(), "string");
    return "";
  }

  private Duration duration(Entry entry) {
    String t = text(entry);
    return t.isEmpty() ? Duration.ZERO : Durations.parse(t);
  }

  private int integer(Entry entry) {
    if (entry == null || entry.value() instanceof Scalar s && s.isNull()) {
      return 0;
    }
    if (entry.value() instanceof Scalar s && s.tag().equals("!!int")) {
      try {
        return Integer.parseInt(s.text());
      } catch (NumberFormatException e) {
        // too large for Go's int on this path as well; reported below
      }
    }
    cannotUnmarshal(entry.value(), "int");
    return 0;
  }

  private Map<String, String> stringMap(Entry entry) {
    Map<String, String> out = new TreeMap<>();
    if (entry == null || entry.value() instanceof Scalar s && s.isNull()) {
      return out;
    }
    if (!(entry.value() instanceof Mapping m)) {
      cannotUnmarshal(entry.value(), "map[string]string");
      return out;
    }
    for (Entry e : m.entries().values()) {
      out.put(e.key(), text(e));
    }
    return out;
  }

  // ---- validation

  private void validate(List<DecodedGroup> groups) {
    Set<String> seen = new HashSet<>();
    for (DecodedGroup g : groups) {
      String name = g.group().name();
      if (name.isEmpty()) {
        errors.add(file + ": " + at(g.node()) + "Groupname must not be empty");
      } else if (!seen.add(name)) {
        errors.add(file + ": " + at(g.node()) + "groupname: " + GoFormat.quote(name) + " is repeated in the same file");
      }
      for (int i = 0; i < g.rules().size(); i++) {
        validateRule(name, i + 1, g.rules().get(i));
      }
    }
  }

  private void validateRule(String group, int index, DecodedRule d) {
    Rule r = d.rule();
    String prefix = "group " + GoFormat.quote(group) + ", rule " + index + ", " + GoFormat.quote(r.name()) + ": ";
    boolean hasRecord = !r.record().isEmpty();
    boolean hasAlert = !r.alert().isEmpty();
    if (hasRecord && hasAlert) {
      add(at(d.record()) + at(d.alert()) + prefix + "only one of 'record' and 'alert' must be set");
    }
    if (!hasRecord && !hasAlert) {
      add(at(hasRecord ? d.record() : null) + prefix + "one of 'record' or 'alert' must be set");
    }
    if (r.expr().isEmpty()) {
      add(at(null) + prefix + "field 'expr' must be set in rule");
    } else {
      try {
        Parser.parse(r.expr());
      } catch (ParseException e) {
        add(at(d.expr()) + prefix + "could not parse expression: " + e.getMessage());
      }
    }
    if (hasRecord) {
      if (!r.annotations().isEmpty()) {
        add(at(d.record()) + prefix + "invalid field 'annotations' in recording rule");
      }
      if (!r.forDuration().isZero()) {
        add(at(d.record()) + prefix + "invalid field 'for' in recording rule");
      }
      if (!r.keepFiringFor().isZero()) {
        add(at(d.record()) + prefix + "invalid field 'keep_firing_for' in recording rule");
      }
      if (!METRIC_NAME.matcher(r.record()).matches()) {
        add(at(d.record()) + prefix + "invalid recording rule name: " + r.record());
      }
    }
    // Prometheus walks Go maps here, in random order; sorted keys make the output stable.
    for (String k : r.labels().keySet()) {
      if (!LABEL_NAME.matcher(k).matches() || k.equals("__name__")) {
        add(prefix + "invalid label name: " + k);
      }
    }
    for (String k : r.annotations().keySet()) {
      if (!LABEL_NAME.matcher(k).matches()) {
        add(prefix + "invalid annotation name: " + k);
      }
    }
    if (hasAlert) {
      checkTemplates(prefix, r);
    }
  }

  /** Labels and annotations of alerting rules are templates; recording rules' labels are used as is. */
  private void checkTemplates(String prefix, Rule r) {
    TemplateCheck.check(r, (kind, key, message) -> add(prefix + kind + " " + GoFormat.quote(key) + ": " + message));
  }

  private void add(String message) {
    errors.add(file + ": " + message);
  }

  /** {@code line:col: } of a node, or {@code 0:0: } where Prometheus cites a node that is absent. */
  private static String at(YamlNode node) {
    return node == null ? "0:0: " : node.line() + ":" + node.column() + ": ";
  }
}

package io.sightline.collector.receiver.prometheus.relabel;

import io.sightline.collector.config.ConfigMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One relabeling rule, with Prometheus' defaults: action {@code replace}, separator {@code ;}, regex {@code (.*)}
 * (always anchored at both ends), replacement {@code $1}.
 */
public record RelabelConfig(List<String> sourceLabels, String separator, Pattern regex, String regexText,
    long modulus, String targetLabel, String replacement, Action action) {

  /** Equal when written the same: the compiled pattern compares by its text (a Pattern has no equality). */
  @Override
  public boolean equals(Object o) {
    return o instanceof RelabelConfig r && sourceLabels.equals(r.sourceLabels) && separator.equals(r.separator)
        && regexText.equals(r.regexText) && modulus == r.modulus && java.util.Objects.equals(targetLabel,
        r.targetLabel) && java.util.Objects.equals(replacement, r.replacement) && action == r.action;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(sourceLabels, separator, regexText, modulus, targetLabel, replacement, action);
  }

  /** What a rule does; {@code keepequal} and {@code dropequal} are Prometheus 2.41's additions. */
  public enum Action {
    REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

    String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern TARGET_LABEL = Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");
  private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
  }

  /** Parses a list of rules, checked as Prometheus checks them at load time. */
  public static List<RelabelConfig> parseList(ConfigMap parent, String key) {
    List<RelabelConfig> out = new ArrayList<>();
    for (ConfigMap m : parent.mapList(key)) {
      out.add(parse(m));
    }
    return out;
  }

  public static RelabelConfig parse(ConfigMap m) {
    String actionText = m.string("action", "replace");
    Action action;
    try {
      action = Action.valueOf(actionText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw m.error("action", "unknown relabel action \"" + actionText + "\"");
    }
    List<String> sources = m.stringList("source_labels");
    String separator = m.string("separator", ";");
    String regexText = m.string("regex", "(.*)");
    Pattern regex;
    try {
      regex = compile(regexText);
    } catch (PatternSyntaxException e) {
      throw m.error("regex", "invalid regular expression: " + e.getDescription());
    }
    long modulus = m.longValue("modulus", 0);
    String target = m.string("target_label", "");
    String replacement = m.string("replacement", "$1");
    m.finish();
    String name = action.configName();
    boolean needsTarget = switch (action) {
      case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
      default -> false;
    };
    if (needsTarget && target.isEmpty()) {
      throw m.error("target_label", "relabel configuration for " + name + " action requires 'target_label' value");
    }
    if (action == Action.REPLACE && !TARGET_LABEL.matcher(target).matches()) {
      throw m.error("target_label", "\"" + target + "\" is invalid 'target_label' for " + name + " action");
    }
    if ((action == Action.LOWERCASE || action == Action.UPPERCASE || action == Action.HASHMOD
        || action == Action.KEEPEQUAL || action == Action.DROPEQUAL) && !LABEL_NAME.matcher(target).matches()) {
      throw m.error("target_label", "\"" + target + "\" is invalid 'target_label' for " + name + " action");
    }
    if ((action == Action.KEEPEQUAL || action == Action.DROPEQUAL) && !regexText.equals("(.*)")) {
      throw m.error("regex", name + " action requires only 'source_labels' and 'target_label', and no other fields");
    }
    if (action == Action.HASHMOD && modulus <= 0) {
      throw m.error("modulus", "relabel configuration for hashmod requires non-zero modulus");
    }
    if ((action == Action.LABELDROP || action == Action.LABELKEEP)
        && (!sources.isEmpty() || !target.isEmpty() || !replacement.equals("$1") || !separator.equals(";"))) {
      throw m.error("action", name + " action requires only 'regex', and no other fields");
    }
    if (action == Action.LABELMAP && !TARGET_LABEL.matcher(replacement).matches()) {
      throw m.error("replacement", "\"" + replacement + "\" is invalid 'replacement' for " + name + " action");
    }
    return new RelabelConfig(sources, separator, regex, regexText, modulus, target, replacement, action);
  }

  /**
   * Anchored at both ends, {@code .} matching newlines, as Prometheus compiles relabel regexes; Go's
   * {@code (?P<name>…)} groups are Java's {@code (?<name>…)}.
   */
  public static Pattern compile(String regex) {
    return Pattern.compile("^(?:" + regex.replace("(?P<", "(?<") + ")$", Pattern.DOTALL);
  }
}

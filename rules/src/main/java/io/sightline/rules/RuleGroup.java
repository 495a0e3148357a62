package io.sightline.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Rules evaluated together, in order, every {@code interval}. A zero interval means the global
 * evaluation interval; a zero limit means no limit on the series an evaluation may produce.
 */
public record RuleGroup(
    String name, Duration interval, int limit, Duration queryOffset, Map<String, String> labels, List<Rule> rules) {

  public RuleGroup {
    labels = Map.copyOf(labels);
    rules = List.copyOf(rules);
  }
}

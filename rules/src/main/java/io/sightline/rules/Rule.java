package io.sightline.rules;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rule of a group: a recording rule ({@code record} set) or an alerting rule ({@code alert} set).
 * Unset strings are empty and unset durations zero, as in Prometheus' {@code rulefmt.Rule}.
 */
public record Rule(
    String record,
    String alert,
    String expr,
    Duration forDuration,
    Duration keepFiringFor,
    Map<String, String> labels,
    Map<String, String> annotations) {

  public Rule {
    // Sorted: messages about labels and annotations come out in a stable order.
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  public boolean isAlerting() {
    return !alert.isEmpty();
  }

  /** The recorded metric or the alert's name. */
  public String name() {
    return isAlerting() ? alert : record;
  }
}

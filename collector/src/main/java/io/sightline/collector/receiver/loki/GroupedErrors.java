package io.sightline.collector.receiver.loki;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loki's {@code util.GroupedErrors}: the validation errors of a push, each distinct message once, with its count when
 * there is more than one message or it came more than once ({@code 2 errors like: …; 1 errors like: …}). Loki lists
 * them in map order, which varies; here they come in the order first seen.
 */
final class GroupedErrors {
  private final Map<String, Integer> counts = new LinkedHashMap<>();

  void add(String message) {
    counts.merge(message, 1, Integer::sum);
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      if (counts.size() > 1 || e.getValue() > 1) {
        sb.append(e.getValue()).append(" errors like: ");
      }
      sb.append(e.getKey());
    }
    return sb.toString();
  }
}

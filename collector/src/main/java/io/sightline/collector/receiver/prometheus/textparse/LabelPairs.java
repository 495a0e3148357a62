package io.sightline.collector.receiver.prometheus.textparse;

import io.sightline.core.model.Labels;
import java.util.Arrays;

/** The label pairs of the line being parsed, reused from line to line; {@code [name0, value0, name1, value1, ...]}. */
final class LabelPairs {
  private String[] pairs = new String[32];
  private int size;

  void clear() {
    size = 0;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Adds a pair; false, and nothing added, if the name is already there. */
  boolean add(String name, String value) {
    if (contains(name)) {
      return false;
    }
    if (size + 2 > pairs.length) {
      pairs = Arrays.copyOf(pairs, pairs.length * 2);
    }
    pairs[size++] = name;
    pairs[size++] = value;
    return true;
  }

  boolean contains(String name) {
    for (int i = 0; i < size; i += 2) {
      if (pairs[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Combined length of names and values in code points: what OpenMetrics bounds an exemplar's label set by. */
  int codePointLength() {
    int length = 0;
    for (int i = 0; i < size; i++) {
      length += pairs[i].codePointCount(0, pairs[i].length());
    }
    return length;
  }

  /** The pairs with {@code __name__} added (when not null), as a sorted label set. */
  Labels toLabels(String metricName) {
    int extra = metricName == null ? 0 : 2;
    String[] all = Arrays.copyOf(pairs, size + extra);
    if (metricName != null) {
      all[size] = Labels.METRIC_NAME;
      all[size + 1] = metricName;
    }
    return Labels.of(all);
  }
}

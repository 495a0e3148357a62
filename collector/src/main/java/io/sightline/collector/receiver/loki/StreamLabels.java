package io.sightline.collector.receiver.loki;

import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Labels;
import java.util.Arrays;

/**
 * A stream's labels as pushed and parsed, before validation: sorted by name with empty values dropped, as
 * Prometheus' parser returns them, but with a repeated name kept, so that validation can refuse it as Loki does
 * ("has duplicate label name"). {@link #toString} is Prometheus' {@code labels.String()}, which is how Loki names
 * the stream in its messages.
 */
final class StreamLabels {
  static final StreamLabels EMPTY = new StreamLabels(new String[0]);

  /** Alternating names and values, sorted by name (stable, so repeated names keep their pushed order). */
  private final String[] pairs;

  private StreamLabels(String[] pairs) {
    this.pairs = pairs;
  }

  /** From alternating names and values in any order; empty values are dropped. */
  static StreamLabels of(String[] namesAndValues, int pairCount) {
    Integer[] order = new Integer[pairCount];
    int kept = 0;
    for (int i = 0; i < pairCount; i++) {
      if (!namesAndValues[2 * i + 1].isEmpty()) {
        order[kept++] = i;
      }
    }
    Integer[] sorted = Arrays.copyOf(order, kept);
    Arrays.sort(sorted, (a, b) -> namesAndValues[2 * a].compareTo(namesAndValues[2 * b]));
    String[] pairs = new String[2 * kept];
    for (int i = 0; i < kept; i++) {
      pairs[2 * i] = namesAndValues[2 * sorted[i]];
      pairs[2 * i + 1] = namesAndValues[2 * sorted[i] + 1];
    }
    return new StreamLabels(pairs);
  }

  static StreamLabels of(Labels labels) {
    String[] pairs = new String[2 * labels.size()];
    for (int i = 0; i < labels.size(); i++) {
      pairs[2 * i] = labels.name(i);
      pairs[2 * i + 1] = labels.value(i);
    }
    return new StreamLabels(pairs);
  }

  int size() {
    return pairs.length / 2;
  }

  boolean isEmpty() {
    return pairs.length == 0;
  }

  String name(int i) {
    return pairs[2 * i];
  }

  String value(int i) {
    return pairs[2 * i + 1];
  }

  boolean has(String name) {
    return get(name) != null;
  }

  /** The first value of {@code name}, or null. */
  String get(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return pairs[i + 1];
      }
    }
    return null;
  }

  /** With {@code name} set to {@code value} (every earlier value of it removed), as Prometheus' builder sets it. */
  StreamLabels with(String name, String value) {
    String[] out = new String[pairs.length + 2];
    int n = 0;
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i].equals(name)) {
        out[n++] = pairs[i];
        out[n++] = pairs[i + 1];
      }
    }
    out[n++] = name;
    out[n++] = value;
    return of(out, n / 2);
  }

  /** The label set proper; call only once validation has refused repeated names. */
  Labels toLabels() {
    return Labels.of(pairs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamLabels other && Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pairs);
  }

  /** {@code {app="shop", "k8s.pod"="p-1"}}: names that are not classic label names are quoted, as Prometheus 3 does. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append('{');
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(isLegacyName(pairs[i]) ? pairs[i] : GoFormat.quote(pairs[i])).append('=')
          .append(GoFormat.quote(pairs[i + 1]));
    }
    return sb.append('}').toString();
  }

  static boolean isLegacyName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}

package io.sightline.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A set of name/value pairs sorted by name, with unique names and no empty values, as Prometheus defines a series'
 * identity. Stored as one flat array {@code [name0, value0, name1, value1, ...]}: one object per label set besides
 * the strings, which callers intern.
 */
public final class Labels implements Comparable<Labels> {
  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0]);

  private final String[] pairs;
  private int hash;

  private Labels(String[] pairs) {
    this.pairs = pairs;
  }

  /**
   * From alternating names and values, in any order; empty values are dropped, as Prometheus drops them, and of a
   * name given twice the later value wins. On every decoded series' path, so it sorts the pairs in place (insertion
   * sort: label sets are short and usually nearly sorted already) instead of going through a builder.
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    String[] p = namesAndValues.clone();
    int n = p.length / 2;
    for (int i = 1; i < n; i++) {
      String name = p[2 * i];
      String value = p[2 * i + 1];
      int j = i - 1;
      // Equal names keep their order, so that the later one stays later and wins below.
      while (j >= 0 && p[2 * j].compareTo(name) > 0) {
        p[2 * j + 2] = p[2 * j];
        p[2 * j + 3] = p[2 * j + 1];
        j--;
      }
      p[2 * j + 2] = name;
      p[2 * j + 3] = value;
    }
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (i + 1 < n && p[2 * i].equals(p[2 * i + 2])) {
        continue; // a later value for the same name follows
      }
      if (p[2 * i + 1] == null || p[2 * i + 1].isEmpty()) {
        continue;
      }
      p[2 * kept] = p[2 * i];
      p[2 * kept + 1] = p[2 * i + 1];
      kept++;
    }
    return new Labels(kept == n ? p : Arrays.copyOf(p, 2 * kept));
  }

  public static Labels of(Map<String, String> map) {
    Builder b = builder();
    map.forEach(b::set);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return pairs.length / 2;
  }

  public boolean isEmpty() {
    return pairs.length == 0;
  }

  public String name(int i) {
    return pairs[2 * i];
  }

  public String value(int i) {
    return pairs[2 * i + 1];
  }

  /** The value of {@code name}, or {@code ""} if absent (Prometheus treats a missing label as the empty value). */
  public String get(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[2 * mid].compareTo(name);
      if (c == 0) {
        return pairs[2 * mid + 1];
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return "";
  }

  public String metricName() {
    return get(METRIC_NAME);
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>();
    forEach(m::put);
    return m;
  }

  /**
   * These labels with {@code name} set to {@code value} (added in its sorted place, or replaced): one copy of the
   * pairs, no sort, for the hot paths that add a single label to every entry.
   */
  public Labels with(String name, String value) {
    if (value == null || value.isEmpty()) {
      return get(name).isEmpty() ? this : toBuilder().delete(name).build();
    }
    int lo = 0;
    int hi = pairs.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[2 * mid].compareTo(name);
      if (c == 0) {
        if (pairs[2 * mid + 1].equals(value)) {
          return this;
        }
        String[] p = pairs.clone();
        p[2 * mid + 1] = value;
        return new Labels(p);
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    String[] p = new String[pairs.length + 2];
    System.arraycopy(pairs, 0, p, 0, 2 * lo);
    p[2 * lo] = name;
    p[2 * lo + 1] = value;
    System.arraycopy(pairs, 2 * lo, p, 2 * lo + 2, pairs.length - 2 * lo);
    return new Labels(p);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    forEach(b::set);
    return b;
  }

  /** Prometheus' order: pair by pair, name then value; a prefix sorts first. */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels l && (l.hashCode() == hashCode()) && Arrays.equals(pairs, l.pairs);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** Prometheus' text form: {@code {__name__="up", job="api"}} → {@code up{job="api"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    String name = metricName();
    sb.append(name).append('{');
    boolean first = true;
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(METRIC_NAME)) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(pairs[i]).append("=\"").append(pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n")).append('"');
    }
    return sb.append('}').toString();
  }

  /** Collects pairs in any order; a later value for a name replaces an earlier one. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    public Builder set(String name, String value) {
      int at = names.indexOf(name);
      if (value == null || value.isEmpty()) {
        if (at >= 0) {
          names.remove(at);
          values.remove(at);
        }
        return this;
      }
      if (at >= 0) {
        values.set(at, value);
      } else {
        names.add(name);
        values.add(value);
      }
      return this;
    }

    public Builder delete(String name) {
      return set(name, null);
    }

    public Labels build() {
      Integer[] order = new Integer[names.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> names.get(a).compareTo(names.get(b)));
      String[] pairs = new String[order.length * 2];
      for (int i = 0; i < order.length; i++) {
        pairs[2 * i] = names.get(order[i]);
        pairs[2 * i + 1] = values.get(order[i]);
      }
      return new Labels(pairs);
    }
  }
}

package io.sightline.collector.generator.registry;

import java.util.Arrays;

/**
 * A series' identity as a processor sees it, before its labels are built: label names (fixed per processor, shared)
 * and values, empty meaning absent. A processor fills one key per span and looks it up, so that a span of a known
 * series allocates nothing; a family keeps a {@link #copy} only when it creates the series.
 */
public final class SeriesKey {
  private final String[] names;
  private final int namesHash;
  private final String[] values;
  private int hash;

  /** An empty key (all values empty) over {@code names}, which the key shares and never changes. */
  public SeriesKey(String... names) {
    this.names = names;
    this.namesHash = Arrays.hashCode(names);
    this.values = new String[names.length];
    Arrays.fill(values, "");
  }

  private SeriesKey(String[] names, int namesHash, String[] values, int hash) {
    this.names = names;
    this.namesHash = namesHash;
    this.values = values;
    this.hash = hash;
  }

  public int size() {
    return names.length;
  }

  public String name(int i) {
    return names[i];
  }

  public String value(int i) {
    return values[i];
  }

  /** Sets value {@code i}; null reads as empty. Call {@link #rehash} once all are set. */
  public SeriesKey set(int i, String value) {
    values[i] = value == null ? "" : value;
    return this;
  }

  /** Recomputes the hash after {@link #set}; returns this. */
  public SeriesKey rehash() {
    hash = 31 * namesHash + Arrays.hashCode(values);
    return this;
  }

  /** A copy that no later {@link #set} on this key changes. */
  public SeriesKey copy() {
    return new SeriesKey(names, namesHash, values.clone(), hash);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesKey k && hash == k.hash && (names == k.names || Arrays.equals(names, k.names))
        && Arrays.equals(values, k.values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i]);
    }
    return sb.append('}').toString();
  }
}

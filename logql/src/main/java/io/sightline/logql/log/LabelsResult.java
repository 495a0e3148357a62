package io.sightline.logql.log;

import io.sightline.core.model.GoFormat;
import io.sightline.core.model.Labels;
import java.util.Arrays;

/**
 * The labels of a processed line, split as Loki's {@code LabelsResult} splits them: the stream's own labels, the
 * structured metadata and the labels the pipeline extracted ({@link #parsed()}, where {@code __error__} and
 * {@code __error_details__} also go). Values may be empty: {@code logfmt --keep-empty} and {@code json a="b"} keep
 * empty labels, as Loki does. Immutable; {@link #toString()} is Prometheus' text form.
 */
public final class LabelsResult {
  static final LabelsResult EMPTY = new LabelsResult(new String[0], new String[0], new String[0], new String[0]);

  private final String[] all;
  private final String[] stream;
  private final String[] structuredMetadata;
  private final String[] parsed;
  private int hash;
  private String text;

  LabelsResult(String[] all, String[] stream, String[] structuredMetadata, String[] parsed) {
    this.all = all;
    this.stream = stream;
    this.structuredMetadata = structuredMetadata;
    this.parsed = parsed;
  }

  static LabelsResult ofStream(Labels stream) {
    String[] p = new String[stream.size() * 2];
    for (int i = 0; i < stream.size(); i++) {
      p[2 * i] = stream.name(i);
      p[2 * i + 1] = stream.value(i);
    }
    return new LabelsResult(p, p, new String[0], new String[0]);
  }

  /** All labels as sorted alternating names and values. Do not modify. */
  public String[] pairs() {
    return all;
  }

  public int size() {
    return all.length / 2;
  }

  public String name(int i) {
    return all[2 * i];
  }

  public String value(int i) {
    return all[2 * i + 1];
  }

  /** The value of {@code name}, or null when absent. */
  public String get(String name) {
    for (int i = 0; i < all.length; i += 2) {
      if (all[i].equals(name)) {
        return all[i + 1];
      }
    }
    return null;
  }

  /** The stream labels (sorted pairs). */
  public String[] stream() {
    return stream;
  }

  public String[] structuredMetadata() {
    return structuredMetadata;
  }

  /** Extracted labels and the error labels (sorted pairs). */
  public String[] parsed() {
    return parsed;
  }

  /** As core {@link Labels}, which leaves out empty values. */
  public Labels labels() {
    return Labels.of(all);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelsResult r && r.hashCode() == hashCode() && Arrays.equals(all, r.all)
        && Arrays.equals(parsed, r.parsed) && Arrays.equals(structuredMetadata, r.structuredMetadata);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(all);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** {@code {app="api", level="error"}}. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < all.length; i += 2) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(all[i]).append('=').append(GoFormat.quote(all[i + 1]));
      }
      t = text = b.append('}').toString();
    }
    return t;
  }
}

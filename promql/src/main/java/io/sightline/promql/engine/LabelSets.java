package io.sightline.promql.engine;

import io.sightline.core.model.Labels;
import java.util.Collection;

/** The label set operations the evaluator needs: keeping or dropping names, and match signatures. */
final class LabelSets {
  private LabelSets() {}

  static Labels keep(Labels labels, Collection<String> names) {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < labels.size(); i++) {
      if (names.contains(labels.name(i))) {
        b.set(labels.name(i), labels.value(i));
      }
    }
    return b.build();
  }

  static Labels drop(Labels labels, Collection<String> names, boolean dropName) {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < labels.size(); i++) {
      String n = labels.name(i);
      if (!names.contains(n) && !(dropName && n.equals(Labels.METRIC_NAME))) {
        b.set(n, labels.value(i));
      }
    }
    return b.build();
  }

  static Labels withoutName(Labels labels) {
    return labels.get(Labels.METRIC_NAME).isEmpty() ? labels : labels.toBuilder().delete(Labels.METRIC_NAME).build();
  }

  /**
   * The key two samples are matched by: only the {@code on} labels, or every label but the {@code ignoring} ones and
   * the name. Names and values are separated by bytes that cannot occur in UTF-8 text, so keys cannot collide.
   */
  static String signature(Labels labels, Collection<String> names, boolean on) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < labels.size(); i++) {
      String n = labels.name(i);
      boolean listed = names.contains(n);
      if (on ? listed : !listed && !n.equals(Labels.METRIC_NAME)) {
        sb.append(n).append('\uffff').append(labels.value(i)).append('\ufffe');
      }
    }
    return sb.toString();
  }
}

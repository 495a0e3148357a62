package io.sightline.logql.log;

import io.sightline.logql.syntax.StageExpr.NamedMatcher;
import java.util.List;

/** {@code | keep a, b="v"}: removes every other label; the error labels always stay. */
final class KeepLabels implements Stage {
  private final NamedMatcher[] labels;

  KeepLabels(List<NamedMatcher> labels) {
    this.labels = labels.toArray(NamedMatcher[]::new);
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    if (labels.length == 0) {
      return true;
    }
    List<String> current = lbs.unsorted();
    for (int i = 0; i < current.size(); i += 2) {
      String name = current.get(i);
      if (name.equals(LabelsBuilder.ERROR) || name.equals(LabelsBuilder.ERROR_DETAILS)
          || name.equals("__preserve_error__")) {
        continue;
      }
      boolean keep = false;
      for (NamedMatcher k : labels) {
        if (k.matcher() != null && k.matcher().name().equals(name) && k.matcher().matches(current.get(i + 1))
            || name.equals(k.name())) {
          keep = true;
          break;
        }
      }
      if (!keep) {
        lbs.del(name);
      }
    }
    return true;
  }
}

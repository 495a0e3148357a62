package io.sightline.logql.log;

import io.sightline.logql.syntax.StageExpr.NamedMatcher;
import java.util.List;

/** {@code | drop a, b="v"}: removes labels, by name or when the matcher matches; also the error labels. */
final class DropLabels implements Stage {
  private final NamedMatcher[] labels;

  DropLabels(List<NamedMatcher> labels) {
    this.labels = labels.toArray(NamedMatcher[]::new);
  }

  @Override
  public boolean process(long ts, Line line, LabelsBuilder lbs) {
    for (NamedMatcher l : labels) {
      if (l.matcher() != null) {
        String name = l.matcher().name();
        if (name.equals(LabelsBuilder.ERROR)) {
          if (l.matcher().matches(lbs.err())) {
            lbs.setErr("");
          }
        } else if (name.equals(LabelsBuilder.ERROR_DETAILS)) {
          if (l.matcher().matches(lbs.errDetails())) {
            lbs.setErrDetails("");
          }
        } else {
          String v = lbs.get(name);
          if (l.matcher().matches(v == null ? "" : v)) {
            lbs.del(name);
          }
        }
        continue;
      }
      String name = l.name();
      if (name.equals(LabelsBuilder.ERROR)) {
        lbs.setErr("");
      } else if (name.equals(LabelsBuilder.ERROR_DETAILS)) {
        lbs.setErrDetails("");
      } else if (lbs.get(name) != null) {
        lbs.del(name);
      }
    }
    return true;
  }
}

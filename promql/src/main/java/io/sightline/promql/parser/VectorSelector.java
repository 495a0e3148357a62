package io.sightline.promql.parser;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/**
 * {@code http_requests_total{job="api", code=~"5.."}}: the matchers, with the metric name as a {@code __name__}
 * matcher first when one was written before the braces.
 */
public record VectorSelector(String metricName, List<LabelMatcher> matchers) implements Expr {

  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(metricName == null ? "" : metricName).append('{');
    boolean first = true;
    for (LabelMatcher m : matchers) {
      if (metricName != null && m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQUAL) {
        continue;
      }
      sb.append(first ? "" : ", ").append(m);
      first = false;
    }
    String s = sb.append('}').toString();
    return s.endsWith("{}") && metricName != null ? metricName : s;
  }
}

package io.sightline.logql.syntax;

import java.util.List;

/**
 * {@code | unwrap latency}, {@code | unwrap duration(latency)}: the label whose value becomes the sample, its
 * conversion ({@code ""}, {@code bytes}, {@code duration}, {@code duration_seconds}) and the label filters after it.
 */
public record UnwrapExpr(String identifier, String operation, List<LabelFilter> postFilters) {
  public UnwrapExpr {
    postFilters = List.copyOf(postFilters);
  }

  UnwrapExpr withPostFilter(LabelFilter f) {
    var l = new java.util.ArrayList<>(postFilters);
    l.add(f);
    return new UnwrapExpr(identifier, operation, l);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(" | unwrap ");
    if (!operation.isEmpty()) {
      b.append(operation).append('(').append(identifier).append(')');
    } else {
      b.append(identifier);
    }
    for (LabelFilter f : postFilters) {
      b.append(" | ").append(f);
    }
    return b.toString();
  }
}

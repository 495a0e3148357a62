package io.sightline.promql.engine;

import java.util.List;

/**
 * A query's value and its annotations: warnings (the result may be wrong or incomplete) and infos (the query may not
 * mean what was intended), with Prometheus' wording, as its API reports them.
 */
public record QueryResult(Value value, List<String> warnings, List<String> infos) {

  public QueryResult {
    warnings = List.copyOf(warnings);
    infos = List.copyOf(infos);
  }
}

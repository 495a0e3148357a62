package io.sightline.metricstore;

import io.sightline.core.model.LabelMatcher;
import java.util.List;

/** Reads series by label matchers and time range. */
public interface Querier {

  /**
   * The series that match every matcher and have samples in {@code [minT, maxT]}, sorted by labels. At least one
   * matcher must not match the empty string (as Prometheus requires), so that a query cannot select everything by
   * accident.
   */
  List<Series> select(List<LabelMatcher> matchers, long minT, long maxT);

  /** Label names of the series matching {@code matchers} (all series when empty), sorted. */
  List<String> labelNames(List<LabelMatcher> matchers);

  /** The exemplars of the series matching {@code matchers} in {@code [minT, maxT]}, by series, oldest first. */
  List<SeriesExemplars> exemplars(List<LabelMatcher> matchers, long minT, long maxT);

  /** Metadata by metric family name, sorted by name; {@code metric} selects one family when not empty. */
  java.util.SortedMap<String, MetricMetadata> metadata(String metric);

  /** Values of {@code name} among the series matching {@code matchers} (all series when empty), sorted. */
  List<String> labelValues(String name, List<LabelMatcher> matchers);

  /**
   * Label names of the matching series with data in {@code [minT, maxT]}, at the granularity Prometheus has: the
   * blocks (and the head) whose time range overlaps it.
   */
  default List<String> labelNames(List<LabelMatcher> matchers, long minT, long maxT) {
    return labelNames(matchers);
  }

  /** Label values among the matching series with data in {@code [minT, maxT]}, as {@link #labelNames(List, long, long)}. */
  default List<String> labelValues(String name, List<LabelMatcher> matchers, long minT, long maxT) {
    return labelValues(name, matchers);
  }
}
